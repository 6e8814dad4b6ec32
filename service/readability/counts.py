"""Raw additive counts behind readability: words, syllables, rare words, chains, acronyms ..."""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from itertools import compress
from operator import mul, not_
from operator import sub as _sub
from typing import Any, NamedTuple

from service.lexicons import frequencies, word_set
from service.nlp.document import Doc, Token
from service.nlp.morph import Analysis
from service.officialese import Hit

LONG_WORD_SYLLABLES = 4  # «сложное слово»: more than three syllables (Мацковский; SMOG-ru)
VERY_LONG_WORD_SYLLABLES = 5  # the plainrussian (Бегтин) threshold for SMOG
WALL_BLOCK_WORDS = 80  # a block (line) longer than this reads as a wall of text
NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Init"})
VERBAL_NOUN_ENDINGS = ("ние", "тие", "ция")
LIX_LONG_LETTERS = 7  # LIX (Björnsson) counts words of more than six letters
CLAUSE_MARKS = frozenset(",;:(—–")  # marks that open a clause or an aside
HARD_WORD_LETTERS = 8  # a rare word this long is a term or a borrowing, not a plain word
# diminutives and children's vocabulary are rare in the RNC yet easy: «курочка», «ласточки»
DIMINUTIVE = re.compile(r"(?:[ое]чк|[уюы]шк|[ое]ньк|[её]нок|[её]ныш|ишк|[ие]ньк)[аоиуеяь]?$")
COUNT_KEYS = (
    "words", "sentences", "fragments", "fragment_words", "syllables", "letters",
    "long_words", "very_long_words", "lix_long_words", "rare_words", "hard_words",
    "kantselyarit", "abbreviations", "nominal_chains", "verbal_nouns", "passives",
    "participles", "gerunds", "paragraphs", "blocks", "wall_words", "commas", "nouns", "verbs",
    "latin_words", "rarity_long", "prose_words_sq", "all_words_sq", "prose_words_cube",
    "all_words_cube", "adjectives",
)


def _is_acronym(text: str, morph: Any) -> bool:
    """Return True for a capitalised acronym such as «КДН» (not a word written in capitals)."""
    if not (2 <= len(text) <= 7) or not text.isupper() or not any("А" <= c <= "Я" for c in text):
        return False
    return not (morph is not None and morph.known and "Abbr" not in morph.tags and len(text) > 3)


def _is_rare(lemma: str, lower: str, freq: dict[str, float], threshold: float) -> bool:
    """Return True when the lemma (each part of a hyphenated one) is rarer than `threshold`."""
    if freq.get(lower, 0.0) >= threshold:  # «деньги», «утром»: the RNC lemma is the form itself
        return False
    if lemma in freq:
        return freq[lemma] < threshold
    parts = lemma.split("-")
    return len(parts) == 1 or any(len(p) > 3 and freq.get(p, 0.0) < threshold for p in parts)


# Per-form counts summed over a text, packed into one integer (PACK_BITS bits a field) so
# that a word costs one addition; a field cannot overflow below 2**24 words.
PACKED = ("syllables", "letters", "long", "very_long", "lix_long", "latin", "rarity_long",
          "noun", "verb", "verbal_noun", "participle", "passive", "gerund", "adjective")
PACK_BITS = 24
_SHIFT = {name: PACK_BITS * k for k, name in enumerate(PACKED)}
_ONE = {name: 1 << PACK_BITS * k for k, name in enumerate(PACKED)}
RARITY_SCALE = 1000  # rarity is packed as an integer of thousandths
# what a part of speech adds to the packed counts (participles: passive ones add more)
_POS_PACKED = {"NOUN": _ONE["noun"], "VERB": _ONE["verb"], "INFN": _ONE["verb"],
               "PRTF": _ONE["participle"], "PRTS": _ONE["participle"], "GRND": _ONE["gerund"],
               "ADJF": _ONE["adjective"], "ADJS": _ONE["adjective"], "COMP": _ONE["adjective"]}


class _Form(NamedTuple):
    """What `scan` counts for a word form, whatever its case and place."""

    maybe_rare: bool  # a rare common word (unless capitalised mid-sentence: then a name)
    maybe_hard: bool  # a rare word that is long and not a diminutive: a term, a borrowing
    packed: int  # syllables, letters, parts of speech … (PACKED), summed by `scan`


# rare-word threshold -> lower-cased form -> its `_Form` (the analysis of a form never changes)
_FORMS: dict[float, dict[str, _Form]] = {}
FORMS_MAX = 200_000  # lower-cased forms remembered per threshold (and surfaces: `_SURFACES`)
_S_LETTERS, _S_RARITY = _SHIFT["letters"], _SHIFT["rarity_long"]
_ONE_LONG, _ONE_VERY_LONG, _ONE_LIX, _ONE_LATIN = (
    _ONE["long"], _ONE["very_long"], _ONE["lix_long"], _ONE["latin"])
_ONE_VERBAL_NOUN, _ONE_PASSIVE = _ONE["verbal_noun"], _ONE["passive"]
_NO_NAME = NAME_TAGS.isdisjoint  # True when no grammeme of a form marks a name
_new_form = tuple.__new__  # a _Form from its three fields, without NamedTuple's Python __new__


def _form(m: Analysis | None, lower: str, syl: int, threshold: float) -> _Form:
    """Return the counts of one (analysed) word form."""
    letters = len(lower) - lower.count("-")
    first = lower[0]
    packed = (syl + (letters << _S_LETTERS)
              + (syl >= LONG_WORD_SYLLABLES) * _ONE_LONG
              + (syl >= VERY_LONG_WORD_SYLLABLES) * _ONE_VERY_LONG
              + (letters >= LIX_LONG_LETTERS) * _ONE_LIX
              + ("a" <= first <= "z") * _ONE_LATIN)
    if m is None:
        return _new_form(_Form, (False, False, packed))
    lemma = m.lemma
    no_name = _NO_NAME(m.tags)
    freq = frequencies()
    maybe_rare = (
        len(lemma) > 3
        and "а" <= first <= "я"
        and no_name
        and freq.get(lower, 0.0) < threshold  # the first test of `_is_rare`, without a call
        and _is_rare(lemma, lower, freq, threshold)
    )
    pos = m.pos
    if pos is not None:
        packed += _POS_PACKED.get(pos, 0)
        if pos == "NOUN" and lemma.endswith(VERBAL_NOUN_ENDINGS):
            packed += _ONE_VERBAL_NOUN
        elif pos in ("PRTF", "PRTS") and m.voice == "pssv":
            packed += _ONE_PASSIVE
    if letters >= HARD_WORD_LETTERS:
        # `_rarity` written out: 0 for names and for forms not opening with a Russian letter
        if no_name and ("а" <= first <= "я" or first == "ё"):
            ipm = max(freq.get(lemma, 0.0), freq.get(lower, 0.0))
            rarity = min(4.0, max(0.0, math.log10(1000.0 / max(ipm, 0.1))))
        else:
            rarity = 0.0
        packed += round(rarity * RARITY_SCALE) << _S_RARITY
    return _new_form(_Form, (
        maybe_rare,
        maybe_rare and letters >= HARD_WORD_LETTERS and DIMINUTIVE.search(lemma) is None,
        packed,
    ))


def noun_chains(doc: Doc) -> list[tuple[int, int]]:
    """Return spans of chains of 3+ nouns each governing the next in the genitive."""
    out: list[tuple[int, int]] = []
    run = first = last = 0
    for i, t in enumerate(doc.tokens):
        m = t.morph
        if m is not None and m.pos == "NOUN":
            if run and m.case == "gent":
                run, last = run + 1, i
                continue
            if run >= 3:
                out.append((doc.tokens[first].start, doc.tokens[last].end))
            run, first, last = 1, i, i
        elif not (run and m is not None and m.pos in ("ADJF", "PRTF") and m.case == "gent"):
            if run >= 3:
                out.append((doc.tokens[first].start, doc.tokens[last].end))
            run = 0
    if run >= 3:
        out.append((doc.tokens[first].start, doc.tokens[last].end))
    return out


# roles of a marked surface: an acronym not in the known ones, a rare word, and a capitalised
# rare word that is rare only first in its sentence (mid-sentence it is a name)
_ACRONYM, _RARE, _RARE_IF_FIRST = 0, 1, 2
# roles of a token in chains of nouns (noun_chains): a noun, a genitive noun, a genitive
# adjective or participle, another word (upper case when the word is marked: an acronym or
# a maybe-rare word), another token. A chain: a noun, then 2+ genitive nouns with genitive
# modifiers between them, up to the last genitive noun
CHAIN_NOUN, CHAIN_GENT, CHAIN_MODIFIER, CHAIN_WORD, CHAIN_OTHER = "n", "g", "a", "w", "."
_CHAIN = re.compile(r"[nNgG](?:[aA]*[gG]){2,}")
_MARKED = re.compile(r"[NGAW]")
# rare-word threshold -> word surface -> (its form's packed counts, its role, its mark:
# (role, a hard word, lower case) of an acronym or a maybe-rare word, else None)
_SURFACES: dict[float, dict[str, tuple[int, str, tuple[int, bool, str] | None]]] = {}
_MASK = (1 << PACK_BITS) - 1


def _surface(t: Token, threshold: float) -> tuple[int, str, tuple[int, bool, str] | None]:
    """Return (and remember) what `scan` needs of a word token's surface, seen the first time."""
    forms = _FORMS.get(threshold)
    if forms is None:
        forms = _FORMS[threshold] = {}
    lower = t.lower
    form = forms.get(lower)
    m = t.morph
    if form is None:
        form = _form(m, lower, t.syllables, threshold)
        if len(forms) > FORMS_MAX:
            forms.clear()
        forms[lower] = form
    text = t.text
    role, mark = CHAIN_WORD, None
    if m is not None:
        if text.isupper() and _is_acronym(text, m):  # (an acronym is in upper case)
            if lower not in word_set("known_abbreviations.txt"):
                mark = (_ACRONYM, False, "")
        elif form.maybe_rare:
            mark = (_RARE_IF_FIRST if text[0].isupper() else _RARE, form.maybe_hard,
                    text.lower())
        pos = m.pos
        if pos == "NOUN":
            role = CHAIN_GENT if m.case == "gent" else CHAIN_NOUN
        elif pos in ("ADJF", "PRTF") and m.case == "gent":
            role = CHAIN_MODIFIER
    got = _SURFACES[threshold][text] = (form.packed, role if mark is None else role.upper(), mark)
    return got


def scan(doc: Doc, hits: list[Hit], threshold: float) -> tuple[dict[str, float], dict[str, Any]]:
    """Return (raw counts, details) of `doc`; words under `threshold` ipm count as rare.

    What a word adds depends on its surface alone (its form's analysis, its case): one look-up
    per word gives it, remembered per surface.
    """
    surfaces = _SURFACES.get(threshold)
    if surfaces is None or len(surfaces) > FORMS_MAX:
        surfaces = _SURFACES[threshold] = {}
    get = surfaces.get
    toks = doc.tokens
    packed = commas = 0  # packed: the sum of the words' packed counts
    roles: list[str] = []  # each token's role
    add_role = roles.append
    clause = CLAUSE_MARKS
    for t in toks:
        kind = t.kind
        if kind == "word":
            got = get(t.text) or _surface(t, threshold)
            packed += got[0]
            add_role(got[1])
        else:
            add_role(CHAIN_OTHER)
            if kind == "punct" and t.text in clause:
                commas += 1
    n_toks = len(toks)
    n_words = n_toks - roles.count(CHAIN_OTHER)
    role_text = "".join(roles)

    rare = hard = 0
    rare_words: list[str] = []
    acronyms: dict[str, bool] = {}  # acronym -> explained next to it in brackets
    for found in _MARKED.finditer(role_text):
        i = found.start()
        t = toks[i]
        text = t.text
        role, maybe_hard, lower = surfaces[text][2]  # type: ignore[misc]
        if role == _ACRONYM:
            after = toks[i + 1].text if i + 1 < n_toks else ""
            near = (toks[i - 1].text if i else "") + after
            acronyms[text] = acronyms.get(text, False) or "(" in near
            continue
        if role == _RARE_IF_FIRST:  # counts only as the first word of its sentence
            j = i - 1
            while j >= 0 and roles[j] == CHAIN_OTHER:
                j -= 1
            if t.sent == (toks[j].sent if j >= 0 else -1):
                continue
        rare += 1
        hard += maybe_hard
        if maybe_hard and len(rare_words) < 3 and lower not in rare_words:
            rare_words.append(lower)

    chains = [(toks[m.start()].start, toks[m.end() - 1].end) for m in _CHAIN.finditer(role_text)]
    unexplained = [a for a, explained in acronyms.items() if not explained]
    wall_words = 0
    lines = doc.lines
    if n_words > WALL_BLOCK_WORDS and len(lines) > 0:
        wall_words = _wall_words([s for s, _ in lines],
                                 [t.start for t in toks if t.kind == "word"])

    # Σn², Σn³ of sentence lengths: the length a word of the text is in
    n_fragments = fragment_words = 0
    sents = doc.sentences
    ns = [s.n_words for s in sents]
    sq = list(map(mul, ns, ns))
    cube = list(map(mul, sq, ns))
    n_sentences = len(ns) - ns.count(0)
    all_sq = prose_sq = sum(sq)
    all_cube = prose_cube = sum(cube)
    fragment = [s.fragment for s in sents]
    if any(fragment):
        fns = list(compress(ns, fragment))
        n_fragments = len(fns) - fns.count(0)
        fragment_words = sum(fns)
        prose = list(map(not_, fragment))
        prose_sq = sum(compress(sq, prose))
        prose_cube = sum(compress(cube, prose))
    mask = _MASK
    counts = {
        "words": float(n_words),
        "sentences": float(max(1, n_sentences)),
        "fragments": float(n_fragments),
        "fragment_words": float(fragment_words),
        "prose_words_sq": float(prose_sq),
        "all_words_sq": float(all_sq),
        "prose_words_cube": float(prose_cube),
        "all_words_cube": float(all_cube),
        "adjectives": float((packed >> _SHIFT["adjective"]) & mask),
        "syllables": float(packed & mask),
        "letters": float((packed >> _S_LETTERS) & mask),
        "lix_long_words": float((packed >> _SHIFT["lix_long"]) & mask),
        "hard_words": float(hard),
        "commas": float(commas),
        "nouns": float((packed >> _SHIFT["noun"]) & mask),
        "verbs": float((packed >> _SHIFT["verb"]) & mask),
        "latin_words": float((packed >> _SHIFT["latin"]) & mask),
        "rarity_long": float((packed >> _S_RARITY) & mask) / RARITY_SCALE,
        "long_words": float((packed >> _SHIFT["long"]) & mask),
        "very_long_words": float((packed >> _SHIFT["very_long"]) & mask),
        "rare_words": float(rare),
        "kantselyarit": float(len(hits)),
        "abbreviations": float(len(unexplained)),
        "nominal_chains": float(len(chains)),
        "verbal_nouns": float((packed >> _SHIFT["verbal_noun"]) & mask),
        "passives": float((packed >> _SHIFT["passive"]) & mask),
        "participles": float((packed >> _SHIFT["participle"]) & mask),
        "gerunds": float((packed >> _SHIFT["gerund"]) & mask),
        "paragraphs": float(len(doc.paragraphs)),
        "blocks": float(len(lines)),
        "wall_words": float(wall_words),
    }
    chain = doc.text[chains[0][0] : chains[0][1]] if chains else ""
    return counts, {"rare_words": rare_words, "abbreviations": unexplained[:3], "chain": chain}


def _wall_words(line_starts: list[int], word_starts: list[int]) -> int:
    """Return the words beyond WALL_BLOCK_WORDS of each line (a word: of the last line opening
    at or before it, or of the first line)."""
    # the words of line k: from the first word at or after its start to the next line's
    bounds = [0] + [bisect_left(word_starts, s) for s in line_starts[1:]] + [len(word_starts)]
    return sum(max(0, n - WALL_BLOCK_WORDS) for n in map(_sub, bounds[1:], bounds))
