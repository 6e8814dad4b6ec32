"""Raw additive counts behind readability: words, syllables, rare words, chains, acronyms ..."""

from __future__ import annotations

import math
import re
from typing import Any, NamedTuple

from service.lexicons import frequencies, word_set
from service.nlp.document import Doc
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


def _unpack(packed: int) -> dict[str, float]:
    """Return the sums of PACKED fields from a sum of packed integers."""
    mask = (1 << PACK_BITS) - 1
    out = {name: float((packed >> sh) & mask) for name, sh in _SHIFT.items()}
    out["rarity_long"] /= RARITY_SCALE
    return out


class _Form(NamedTuple):
    """What `scan` counts for a word form, whatever its case and place."""

    maybe_rare: bool  # a rare common word (unless capitalised mid-sentence: then a name)
    maybe_hard: bool  # a rare word that is long and not a diminutive: a term, a borrowing
    packed: int  # syllables, letters, parts of speech … (PACKED), summed by `scan`


# rare-word threshold -> lower-cased form -> its `_Form` (the analysis of a form never changes)
_FORMS: dict[float, dict[str, _Form]] = {}


def _form(m: Analysis | None, lower: str, syl: int, threshold: float) -> _Form:
    """Return the counts of one (analysed) word form."""
    letters = len(lower) - lower.count("-")
    packed = (syl + (letters << _SHIFT["letters"])
              + (syl >= LONG_WORD_SYLLABLES) * _ONE["long"]
              + (syl >= VERY_LONG_WORD_SYLLABLES) * _ONE["very_long"]
              + (letters >= LIX_LONG_LETTERS) * _ONE["lix_long"]
              + ("a" <= lower[0] <= "z") * _ONE["latin"])
    if m is None:
        return _Form(False, False, packed)
    maybe_rare = (
        len(m.lemma) > 3
        and "а" <= lower[0] <= "я"
        and not (NAME_TAGS & m.tags)
        and _is_rare(m.lemma, lower, frequencies(), threshold)
    )
    pos = m.pos
    if pos is not None:
        packed += _POS_PACKED.get(pos, 0)
        if pos == "NOUN" and m.lemma.endswith(VERBAL_NOUN_ENDINGS):
            packed += _ONE["verbal_noun"]
        elif pos in ("PRTF", "PRTS") and m.voice == "pssv":
            packed += _ONE["passive"]
    if letters >= HARD_WORD_LETTERS:
        packed += round(_rarity(m, lower) * RARITY_SCALE) << _SHIFT["rarity_long"]
    return _Form(
        maybe_rare,
        maybe_rare and letters >= HARD_WORD_LETTERS and DIMINUTIVE.search(m.lemma) is None,
        packed,
    )


def _rarity(m: Analysis, lower: str) -> float:
    """Return min(4, log10(1000 / ipm)) of a common word's lemma (0 for names and frequent)."""
    if NAME_TAGS & m.tags or not ("а" <= lower[:1] <= "я" or lower[:1] == "ё"):
        return 0.0
    freq = frequencies()
    ipm = max(freq.get(m.lemma, 0.0), freq.get(lower, 0.0))
    return min(4.0, max(0.0, math.log10(1000.0 / max(ipm, 0.1))))


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


def scan(doc: Doc, hits: list[Hit], threshold: float) -> tuple[dict[str, float], dict[str, Any]]:
    """Return (raw counts, details) of `doc`; words under `threshold` ipm count as rare."""
    known_abbr = word_set("known_abbreviations.txt")
    forms = _FORMS.setdefault(threshold, {})
    toks = doc.tokens
    rare = hard = commas = 0
    packed = 0  # the sum of the words' packed counts
    rare_words: list[str] = []
    acronyms: dict[str, bool] = {}  # acronym -> explained next to it in brackets
    line_starts = [s for s, _ in doc.lines]
    line_words = [0] * len(line_starts)
    line = 0  # the line of the current word: the last one starting at or before it
    n_lines = len(line_starts)
    prev_sent = -1
    for i, t in enumerate(toks):
        if t.kind != "word":
            if t.kind == "punct" and t.text in CLAUSE_MARKS:
                commas += 1
            continue
        if n_lines:
            while line + 1 < n_lines and line_starts[line + 1] <= t.start:
                line += 1
            line_words[line] += 1
        m = t.morph
        first_in_sent = t.sent != prev_sent
        prev_sent = t.sent
        form = forms.get(t.lower)
        if form is None:
            form = _form(m, t.lower, t.syllables, threshold)
            if len(forms) > 200_000:
                forms.clear()
            forms[t.lower] = form
        packed += form.packed
        if m is None:
            continue
        text = t.text
        if _is_acronym(text, m):
            if t.lower not in known_abbr:
                after = toks[i + 1].text if i + 1 < len(toks) else ""
                near = (toks[i - 1].text if i else "") + after
                acronyms[text] = acronyms.get(text, False) or "(" in near
        elif form.maybe_rare and (first_in_sent or not text[0].isupper()):
            rare += 1
            hard += form.maybe_hard
            if form.maybe_hard and len(rare_words) < 3 and text.lower() not in rare_words:
                rare_words.append(text.lower())
    tot = _unpack(packed)
    chains = noun_chains(doc)
    unexplained = [a for a, explained in acronyms.items() if not explained]
    n_words = len(doc.words)
    n_sentences = n_fragments = fragment_words = prose_sq = all_sq = prose_cube = all_cube = 0
    for s in doc.sentences:  # Σn², Σn³ of sentence lengths: the length a word of the text is in
        n = s.n_words
        if n:
            n_sentences += 1
            sq = n * n
            all_sq += sq
            all_cube += sq * n
            if s.fragment:
                n_fragments += 1
                fragment_words += n
            else:
                prose_sq += sq
                prose_cube += sq * n
    counts = {
        "words": float(n_words),
        "sentences": float(max(1, n_sentences)),
        "fragments": float(n_fragments),
        "fragment_words": float(fragment_words),
        "prose_words_sq": float(prose_sq),
        "all_words_sq": float(all_sq),
        "prose_words_cube": float(prose_cube),
        "all_words_cube": float(all_cube),
        "adjectives": tot["adjective"],
        "syllables": tot["syllables"],
        "letters": tot["letters"],
        "lix_long_words": tot["lix_long"],
        "hard_words": float(hard),
        "commas": float(commas),
        "nouns": tot["noun"],
        "verbs": tot["verb"],
        "latin_words": tot["latin"],
        "rarity_long": tot["rarity_long"],
        "long_words": tot["long"],
        "very_long_words": tot["very_long"],
        "rare_words": float(rare),
        "kantselyarit": float(len(hits)),
        "abbreviations": float(len(unexplained)),
        "nominal_chains": float(len(chains)),
        "verbal_nouns": tot["verbal_noun"],
        "passives": tot["passive"],
        "participles": tot["participle"],
        "gerunds": tot["gerund"],
        "paragraphs": float(len(doc.paragraphs)),
        "blocks": float(len(doc.lines)),
        "wall_words": float(sum(max(0, n - WALL_BLOCK_WORDS) for n in line_words)),
    }
    chain = doc.text[chains[0][0] : chains[0][1]] if chains else ""
    return counts, {"rare_words": rare_words, "abbreviations": unexplained[:3], "chain": chain}
