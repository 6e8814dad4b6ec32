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


class Morph:
    """Cached morphological analysis (pymorphy3, C DAWG backend when installed)."""

    def __init__(self, cache_size: int = 200_000) -> None:
        self.analyzer = pymorphy3.MorphAnalyzer(lang="ru")
        self.analyse = lru_cache(maxsize=cache_size)(self._analyse)

    def _analyse(self, word: str) -> Analysis:
        """Return the analysis of a lower-cased word."""
        p = self.analyzer.parse(word)[0]
        tag = p.tag
        grammemes = frozenset(tag.grammemes)
        return Analysis(
            lemma=p.normal_form.replace("ё", "е"),
            pos=tag.POS,
            case=tag.case,
            voice=tag.voice,
            known=self.analyzer.word_is_known(word),
            tags=grammemes,
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
