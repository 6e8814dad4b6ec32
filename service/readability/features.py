"""The readability model's features: densities of raw counts, each a small pure function.

Sentence length is measured on prose sentences only (headings, greetings and labels on their
own line are left out: `Sentence.fragment`), and on a log scale: 10 → 20 words hurts more than
40 → 50. A word is long by its letters and syllables; a rare word counts only when it is also
long and not a diminutive (a term or a borrowing, not «курочка» of a children's tale). The
nominal style of officialese shows as nouns per verb, verbal nouns and genitive chains.
"""

from __future__ import annotations

import math

Counts = dict[str, float]


def prose_sentences(c: Counts) -> float:
    """Return the number of sentences that are prose (all of them if none is)."""
    s, f = c.get("sentences", 1.0), c.get("fragments", 0.0)
    return s - f if s > f else max(1.0, s)


def prose_words(c: Counts) -> float:
    """Return the words in prose sentences (all words if no sentence is prose)."""
    s, f = c.get("sentences", 1.0), c.get("fragments", 0.0)
    w = c.get("words", 0.0)
    return w - c.get("fragment_words", 0.0) if s > f else w


def words_per_sentence(c: Counts) -> float:
    """Return the mean length of prose sentences in words."""
    return prose_words(c) / prose_sentences(c)


def values(c: Counts) -> tuple[float, ...]:
    """Return every feature of raw counts, in the order of FEATURES (denominators once)."""
    g = c.get
    w = max(1.0, g("words", 0.0))
    per100 = 100.0 / w
    ps = prose_sentences(c)
    pw = prose_words(c)
    prose_share = pw / w / ps  # letters/syllables of the text scaled to one prose sentence
    nouns, verbs = g("nouns", 0.0), g("verbs", 0.0)
    kants = g("kantselyarit", 0.0)
    return (
        math.log1p(pw / ps),
        math.log1p(g("letters", 0.0) * prose_share),
        math.log1p(g("syllables", 0.0) * prose_share),
        math.log1p(g("long_words", 0.0) / ps),
        g("commas", 0.0) / ps,
        g("letters", 0.0) / w,
        g("syllables", 0.0) / w,
        g("long_words", 0.0) / w,
        g("very_long_words", 0.0) / w,
        g("hard_words", 0.0) / w,
        g("rarity_long", 0.0) / w,
        g("latin_words", 0.0) / w,
        kants * per100,
        kants / ps,
        g("abbreviations", 0.0) * per100,
        g("nominal_chains", 0.0) * per100,
        g("verbal_nouns", 0.0) / w,
        nouns / w,
        nouns / (verbs + 1.0),
        math.log((nouns + 1.0) / (verbs + 1.0)),
        g("passives", 0.0) * per100,
        g("participles", 0.0) * per100,
        g("gerunds", 0.0) * per100,
        g("wall_words", 0.0) / w,
    )


FEATURES = (
    "log_words_per_sentence", "log_letters_per_sentence", "log_syllables_per_sentence",
    "log_long_words_per_sentence", "clauses_per_sentence", "letters_per_word",
    "syllables_per_word", "long_words_share", "very_long_words_share", "hard_words_share",
    "long_word_rarity", "latin_words_share", "kantselyarit_per_100", "kantselyarit_per_sentence",
    "abbreviations_per_100", "nominal_chains_per_100", "verbal_nouns_share", "nouns_share",
    "nouns_per_verb", "log_nouns_per_verb", "passives_per_100", "participles_per_100",
    "gerunds_per_100", "wall_share",
)
