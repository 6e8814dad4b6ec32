"""One pymorphy3 analyser per process, wrapped in a cache of compact results.

Frequent word forms are read from a shipped table (service.nlp.morph_table) that holds
exactly what pymorphy3 returns for them; pymorphy3 itself is loaded only when a form is not
in the table (or a caller needs its full parses).
"""

from __future__ import annotations

import logging
import unicodedata
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from service.nlp.morph_table import FIELD, PARSE, MorphTable, load_table

if TYPE_CHECKING:
    import pymorphy3

log = logging.getLogger("gospablik.morph")
_new_tuple = tuple.__new__  # a named tuple made without its Python-level __new__


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


def _tag_info(tag: Any) -> tuple[str | None, frozenset[str]]:
    """Return the POS and the grammemes of a pymorphy3 tag as plain strings."""
    # plain str: pymorphy's grammeme objects compare through a slow Python __eq__
    return (str(tag.POS) if tag.POS else None), frozenset(str(g) for g in tag.grammemes)


def _case_voice(grams: frozenset[str]) -> tuple[str | None, str | None]:
    """Return the case and the voice of a reading's grammemes."""
    case = next(iter(grams & _CASES), None)
    return case, "pssv" if "pssv" in grams else ("actv" if "actv" in grams else None)


def _has_name(ch: str) -> bool:
    """Return True when the Unicode database names `ch` (pymorphy3 needs the name of a letter)."""
    return unicodedata.name(ch, "") != ""


class Morph:
    """Cached morphological analysis (pymorphy3, C DAWG backend when installed).

    Every part of the service asks `readings` or `analyse`, so each word form is looked up
    in the table, or parsed by pymorphy3, once per process.
    """

    def __init__(self, cache_size: int = 200_000, table: MorphTable | None = None) -> None:
        self.table = table
        # tag -> (POS, grammemes) as plain strings; pymorphy3 has a few thousand distinct tags
        self._tag_info: dict[object, tuple[str | None, frozenset[str]]] = {}
        self._known: dict[str, bool] = {}  # forms found in the table: in the dictionary?
        self._grams_info: dict[frozenset[str], tuple[str | None, str | None]] = {}  # case, voice
        self.readings = lru_cache(maxsize=cache_size)(self._readings)
        self.analyse = lru_cache(maxsize=cache_size)(self._analyse)

    @cached_property
    def analyzer(self) -> pymorphy3.MorphAnalyzer:
        """Return the pymorphy3 analyser (loaded on first use)."""
        import pymorphy3

        return pymorphy3.MorphAnalyzer(lang="ru")

    def _readings(self, word: str) -> tuple[Reading, ...]:
        """Return every reading (lemma, POS, grammemes, score) of a lower-cased word form."""
        table = self.table
        value = table.value(word) if table is not None else None
        if value is not None:  # what MorphTable.get would say, without its list of tuples
            self._known[word] = value[0] == "1"
            tags = table.tags  # type: ignore[union-attr]
            readings = []
            for part in value[1:].split(PARSE):
                lemma, tag, score = part.split(FIELD)
                pos, grams = tags[int(tag)]
                readings.append(_new_tuple(Reading, (lemma, pos, grams, float(score))))
            return tuple(readings)
        tag_info = self._tag_info
        out = []
        try:
            parses = self.analyzer.parse(word)
        except ValueError:  # pymorphy3 asks unicodedata.name() of each letter; Tangut has none
            parses = self.analyzer.parse("".join(
                ch if not ch.isalpha() or _has_name(ch) else "_" for ch in word))
        for p in parses:
            info = tag_info.get(p.tag)
            if info is None:
                info = tag_info[p.tag] = _tag_info(p.tag)
            out.append(Reading(p.normal_form.replace("ё", "е"), info[0], info[1], p.score))
        return tuple(out)

    def word_is_known(self, word: str) -> bool:
        """Return True when pymorphy3's dictionary has the word form (not a guess)."""
        known = self._known.get(word)
        if known is None:
            self.readings(word)
            known = self._known.get(word)
            if known is None:
                known = self.analyzer.word_is_known(word)
        return known

    def _analyse(self, word: str) -> Analysis:
        """Return the analysis of a lower-cased word (its first reading)."""
        lemma, pos, grams, _ = self.readings(word)[0]
        info = self._grams_info.get(grams)
        if info is None:
            info = _case_voice(grams)
            if len(grams & _CASES) <= 1:  # one case: the same whichever equal set asks
                self._grams_info[grams] = info
        known = self._known.get(word)
        if known is None:
            known = self.word_is_known(word)
        return _new_tuple(Analysis, (lemma, pos, info[0], info[1], known, grams))

    def parses(self, word: str) -> list[Any]:
        """Return all pymorphy3 parses of a word (uncached; for rare checks)."""
        return self.analyzer.parse(word)

    def lemma_set(self, word: str) -> frozenset[str]:
        """Return every lemma the word may have (for ambiguous forms)."""
        return frozenset(p.normal_form.replace("ё", "е") for p in self.analyzer.parse(word))


@lru_cache(maxsize=1)
def get_morph() -> Morph:
    """Return the process-wide analyser, with the shipped word form table when it fits."""
    from service.settings import models_path

    table, why_not = load_table(models_path("morph"))
    if table is None:
        log.warning("%s; все словоформы разбирает pymorphy3", why_not)
    return Morph(table=table)
