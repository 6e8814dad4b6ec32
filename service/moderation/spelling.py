"""Spelling mistakes: words the dictionary does not know that are one or two edits from a
frequent dictionary word («учавствовали» -> «участвовали», «обращатся» -> «обращаться»).

Precision first: names, places, abbreviations, compounds and titles are skipped, and a word is
reported only when one correction clearly beats the others.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from service.lexicons import frequencies, lexicon_path
from service.nlp.morph import get_morph

ALPHABET = "абвгдежзийклмнопрстуфхцчшщъыьэюяё"
VOWELS = "аоеиыуяюэё"
MIN_LEN = 5  # shorter unknown words are mostly abbreviations («каб», «мкр»)
MIN_IPM = 2.0  # the correction must be a word people actually use
MARGIN = 4.0  # the best correction must be this many times more frequent than the next
SIMILAR = frozenset(frozenset(p) for p in ("шщ", "зс", "дт", "бп", "вф", "гк", "жш", "еэ", "ий", "ьъ"))
SILENT = "твдл"  # letters lost or added in clusters: «участник», «чувство», «праздник»
_SIMILAR_TO = {a: "".join(b for p in SIMILAR if a in p for b in p if b != a) for a in ALPHABET}
_CYR_LOWER = re.compile(r"^[а-яё]+$")
CAPITAL_MIN_IPM = 20.0  # a capitalised word is corrected only into a common word
NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr"})


@dataclass(slots=True, frozen=True)
class Typo:
    """A misspelt word, its span and the suggested correction."""

    start: int
    end: int
    word: str
    correction: str


@lru_cache(maxsize=1)
def attested_words() -> frozenset[str]:
    """Return words of real edited posts the dictionary lacks («паблик», «промпт»)."""
    with gzip.open(lexicon_path("attested_words.txt.gz"), "rt", encoding="utf-8") as f:
        return frozenset(w for w in f.read().split("\n") if w)


def _cheap_edits(w: str, upto: int | None = None) -> set[str]:
    """Return strings one common slip away from `w` (see `_cheap`), keeping the first letter;
    with `upto`, only the slips after at most `upto` letters of `w` (they begin with them)."""
    last = len(w) if upto is None else upto
    splits = [(w[:i], w[i:]) for i in range(1, last + 1)]  # the first letter stays
    out = {a + b[1:] for a, b in splits if b and (b[0] in "ьъ" or b[0] == a[-1] or b[0] in VOWELS)}
    out |= {a + b[0] + b for a, b in splits if b}
    out |= {a + c + b for a, b in splits for c in "ьъ"}
    out |= {a + c + b[1:] for a, b in splits if b and b[0] in VOWELS for c in VOWELS if c != b[0]}
    out |= {a + c + b for a, b in splits for c in VOWELS}
    out |= {a + c + b[1:] for a, b in splits if b for c in _SIMILAR_TO.get(b[0], "")}
    out |= {a + c + b for a, b in splits for c in SILENT}
    out |= {a + b[1:] for a, b in splits if b and b[0] in SILENT}
    out.discard(w)
    return out


def _score(word: str) -> float:
    """Return the ipm of the most frequent lemma a dictionary word may have."""
    freq = frequencies()
    return max((freq.get(p.normal_form.replace("ё", "е"), 0.0) for p in
                get_morph().analyzer.parse(word)), default=0.0)


@lru_cache(maxsize=1)
def _known_lower() -> Callable[[str], bool]:
    """Return pymorphy3's `word_is_known` for lower-case strings, without its wrappers.

    The dictionary allows «е» for «ё» (pymorphy3's substitutes); a string without «е» is
    known exactly when it is a key, which is a plain look-up. `correct` asks this of a few
    hundred edits of every unknown word.
    """
    return _lookups()[0]


@lru_cache(maxsize=1)
def _lookups() -> tuple[Callable[[str], bool], Callable[[str], int]]:
    """Return `known` (see `_known_lower`) and `live`: how many first letters of a word begin
    a dictionary key (any «е» of them may stand for «ё»). An edit of a word after more letters
    than `live` begins with a prefix no key has, so it is not known: `correct` skips it."""
    from pymorphy3.lang.ru.config import CHAR_SUBSTITUTES  # loaded with the analyser

    analyzer = get_morph().analyzer
    words = analyzer.dictionary.words
    substitutes = analyzer.char_substitutes
    fuzzy = tuple(CHAR_SUBSTITUTES)  # the letters a substitute may stand for
    if analyzer.lang != "ru" or fuzzy != ("е",):  # not the dictionary this was written for
        return analyzer.word_is_known, len

    def known(word: str) -> bool:
        if word in words:
            return True
        return "е" in word and bool(words.similar_keys(word, substitutes))

    has_prefix = words.has_keys_with_prefix

    def live(word: str) -> int:
        prefixes = [""]  # the spellings of word[:i] that begin a key («е» or «ё» for «е»)
        for i, ch in enumerate(word):
            longer = [p + ch for p in prefixes]
            if ch == "е":
                longer += [p + "ё" for p in prefixes]
            prefixes = [p for p in longer if has_prefix(p)]
            if not prefixes:
                return i
        return len(word)

    return known, live


@lru_cache(maxsize=20_000)
def correct(word: str) -> str | None:
    """Return the confident dictionary correction of an unknown lower-case word, or None."""
    known, live = _lookups()
    # Slips rarely hit the first letter; dropping two letters makes another word («профосмотр»).
    cands = {c for c in _cheap_edits(word, live(word)) if known(c) and _cheap(word, c)}
    if " " not in word:  # «хотябы» -> «хотя бы»
        for i in range(2, len(word) - 1):
            a, b = word[:i], word[i:]
            if b in ("бы", "же", "ли") and known(a):
                cands.add(f"{a} {b}")
    if not cands:
        return None
    ranked = sorted(((_score(c.split()[0]) / _cost(word, c), c) for c in cands), reverse=True)
    best_ipm, best = ranked[0]
    if best_ipm < MIN_IPM:
        return None
    runner = next((ipm for ipm, c in ranked[1:] if _lemma(c) != _lemma(best)), 0.0)
    if runner * MARGIN > best_ipm:
        return None
    return best


def _cheap(word: str, cand: str) -> bool:
    """Return True when `cand` is one common slip from `word`: a vowel for a vowel, similar
    consonants (ш/щ, с/з …), a dropped or extra ь/ъ, vowel, doubled or silent letter («сств»)."""
    if len(word) == len(cand):
        diff = [(a, b) for a, b in zip(word, cand, strict=True) if a != b]
        if len(diff) != 1:
            return False
        a, b = diff[0]
        return (a in VOWELS and b in VOWELS) or frozenset((a, b)) in SIMILAR
    short, long_ = (word, cand) if len(word) < len(cand) else (cand, word)
    if len(long_) - len(short) != 1:
        return False
    for i, ch in enumerate(long_):
        if long_[:i] + long_[i + 1 :] != short:
            continue
        if ch in "ьъ" or ch in VOWELS or (i > 0 and long_[i - 1] == ch) or long_[i + 1 : i + 2] == ch:
            return True
        nearby = long_[max(0, i - 1) : i] + long_[i + 1 : i + 2]
        if ch in SILENT and any(c not in VOWELS for c in nearby):
            return True
    return False


def _cost(word: str, cand: str) -> float:
    """Return 1 for the surest slips (vowel swap, ь/ъ, doubled letter, similar consonant), 2 for
    a dropped or extra vowel or silent consonant."""
    if len(word) == len(cand):
        return 1.0
    short, long_ = (word, cand) if len(word) < len(cand) else (cand, word)
    for i, ch in enumerate(long_):
        if long_[:i] + long_[i + 1 :] == short:
            if ch in "ьъ" or (i > 0 and long_[i - 1] == ch) or long_[i + 1 : i + 2] == ch:
                return 1.0
    return 2.0


def _is_name(word: str) -> bool:
    """Return True when the first reading of a dictionary word is a name or a place."""
    return bool(NAME_TAGS & get_morph().analyzer.parse(word)[0].tag.grammemes)


def _lemma(word: str) -> str:
    """Return the first lemma of a dictionary word (of its first part for «хотя бы»)."""
    return get_morph().analyzer.parse(word.split()[0])[0].normal_form


@lru_cache(maxsize=50_000)
def _candidate(lower: str) -> bool:
    """Return True for an unknown word that is not a compound of a known prefix and a word."""
    morph = get_morph().analyzer
    if morph.word_is_known(lower):
        return False
    units = [type(unit).__name__ for unit, *_ in morph.parse(lower)[0].methods_stack]
    return units != ["DictionaryAnalyzer", "KnownPrefixAnalyzer"]  # «видео|связи», «до|газификации»


def find_typos(doc, attested: frozenset[str] | None = None) -> list[Typo]:
    """Return the misspelt words of an analysed post (service.nlp Doc) with their corrections."""
    seen = attested_words() if attested is None else attested
    out: list[Typo] = []
    text = doc.text
    toks = doc.tokens
    for i, t in enumerate(toks):
        m = t.morph  # None for a token that is not a word; most words are known
        if m is None or m.known or t.kind != "word" or len(t.text) < MIN_LEN:
            continue
        w = t.text
        lower = t.lower
        if not _CYR_LOWER.match(lower) or lower[-1] == "ъ" or "э" in lower[1:]:
            continue  # Latin, digits, compounds, old spelling («самоваръ»), loans («кэреш»)
        if w[0].isupper():
            first = i == 0 or toks[i - 1].sent != t.sent or toks[i - 1].text in "«\"„“"
            if not first or w.isupper() or not w[1:].islower():
                continue  # names, titles and abbreviations
        nxt = text[t.end : t.end + 1]
        if nxt in ".»\"" and len(w) <= 6 or nxt == "-":
            continue  # «пер.», a title's end, half of a compound
        if lower in seen:
            continue
        # the correction first: most unknown words have none, and it costs less than the full
        # parse `_candidate` asks (both depend on the word only: the same words pass)
        fix = correct(lower)
        if fix is None or not _candidate(lower):
            continue
        if w[0].isupper():
            if _score(fix) < CAPITAL_MIN_IPM or _is_name(fix):
                continue  # «Лоханов» is a surname, not a slip of «Лобанов»
            fix = fix[0].upper() + fix[1:]
        out.append(Typo(t.start, t.end, w, fix))
    return out
