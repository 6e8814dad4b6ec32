"""One pymorphy3 analyser per process, wrapped in a cache of compact results."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import pymorphy3


class Analysis(NamedTuple):
    """The first pymorphy3 parse of a word, reduced to what the scorers use."""

    lemma: str
    pos: str | None  # OpenCorpora POS: NOUN, VERB, INFN, PRTF, PRTS, GRND, ADJF, ...
    case: str | None
    voice: str | None  # 'pssv' for passive participles
    known: bool  # the word form is in the dictionary (not a guess)
    tags: frozenset[str]  # all grammemes: Name, Surn, Geox, Abbr, Orgn, anim, ...


class Reading(NamedTuple):
    """One pymorphy3 reading of a word form."""

    lemma: str
    pos: str | None
    grams: frozenset[str]
    score: float


_CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "voct", "gen2", "acc2",
                    "loc2"})


def _tag_info(tag: pymorphy3.tagset.OpencorporaTag) -> tuple[str | None, frozenset[str]]:
    """Return the POS and the grammemes of a pymorphy3 tag as plain strings."""
    # plain str: pymorphy's grammeme objects compare through a slow Python __eq__
    return (str(tag.POS) if tag.POS else None), frozenset(str(g) for g in tag.grammemes)


class Morph:
    """Cached morphological analysis (pymorphy3, C DAWG backend when installed).

    Every part of the service asks `readings` or `analyse`, so each word form is parsed by
    pymorphy3 once per process.
    """

    def __init__(self, cache_size: int = 200_000) -> None:
        self.analyzer = pymorphy3.MorphAnalyzer(lang="ru")
        # tag -> (POS, grammemes) as plain strings; pymorphy3 has a few thousand distinct tags
        self._tag_info: dict[object, tuple[str | None, frozenset[str]]] = {}
        self.readings = lru_cache(maxsize=cache_size)(self._readings)
        self.analyse = lru_cache(maxsize=cache_size)(self._analyse)

    def _readings(self, word: str) -> tuple[Reading, ...]:
        """Return every reading (lemma, POS, grammemes, score) of a lower-cased word form."""
        tag_info = self._tag_info
        out = []
        for p in self.analyzer.parse(word):
            info = tag_info.get(p.tag)
            if info is None:
                info = tag_info[p.tag] = _tag_info(p.tag)
            out.append(Reading(p.normal_form.replace("ё", "е"), info[0], info[1], p.score))
        return tuple(out)

    def _analyse(self, word: str) -> Analysis:
        """Return the analysis of a lower-cased word (its first reading)."""
        r = self.readings(word)[0]
        grams = r.grams
        case = next(iter(grams & _CASES), None)
        return Analysis(
            lemma=r.lemma,
            pos=r.pos,
            case=case,
            voice="pssv" if "pssv" in grams else ("actv" if "actv" in grams else None),
            known=self.analyzer.word_is_known(word),
            tags=grams,
        )

    def parses(self, word: str) -> list[pymorphy3.analyzer.Parse]:
        """Return all pymorphy3 parses of a word (uncached; for rare checks)."""
        return self.analyzer.parse(word)

    def lemma_set(self, word: str) -> frozenset[str]:
        """Return every lemma the word may have (for ambiguous forms)."""
        return frozenset(p.normal_form.replace("ё", "е") for p in self.analyzer.parse(word))


@lru_cache(maxsize=1)
def get_morph() -> Morph:
    """Return the process-wide analyser."""
    return Morph()
