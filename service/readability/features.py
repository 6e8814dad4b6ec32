"""The readability model's features: densities of raw counts, each a small pure function.

Sentence length is measured on prose sentences only (headings, greetings and labels on their
own line are left out: `Sentence.fragment`), and on a log scale: 10 → 20 words hurts more than
40 → 50. A word is long by its letters and syllables; a rare word counts only when it is also
long and not a diminutive (a term or a borrowing, not «курочка» of a children's tale). The
nominal style of officialese shows as nouns per verb, verbal nouns and genitive chains.
"""

from __future__ import annotations

import math
from collections.abc import Callable

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


def _w(c: Counts) -> float:
    return max(1.0, c.get("words", 0.0))


FEATURE_FUNCS: dict[str, Callable[[Counts], float]] = {
    "log_words_per_sentence": lambda c: math.log1p(words_per_sentence(c)),
    "log_letters_per_sentence": lambda c: math.log1p(
        c.get("letters", 0.0) * prose_words(c) / _w(c) / prose_sentences(c)),
    "log_syllables_per_sentence": lambda c: math.log1p(
        c.get("syllables", 0.0) * prose_words(c) / _w(c) / prose_sentences(c)),
    "log_long_words_per_sentence": lambda c: math.log1p(
        c.get("long_words", 0.0) / prose_sentences(c)),
    "clauses_per_sentence": lambda c: c.get("commas", 0.0) / prose_sentences(c),
    "letters_per_word": lambda c: c.get("letters", 0.0) / _w(c),
    "syllables_per_word": lambda c: c.get("syllables", 0.0) / _w(c),
    "long_words_share": lambda c: c.get("long_words", 0.0) / _w(c),
    "very_long_words_share": lambda c: c.get("very_long_words", 0.0) / _w(c),
    "hard_words_share": lambda c: c.get("hard_words", 0.0) / _w(c),
    "long_word_rarity": lambda c: c.get("rarity_long", 0.0) / _w(c),
    "latin_words_share": lambda c: c.get("latin_words", 0.0) / _w(c),
    "kantselyarit_per_100": lambda c: 100.0 * c.get("kantselyarit", 0.0) / _w(c),
    "kantselyarit_per_sentence": lambda c: c.get("kantselyarit", 0.0) / prose_sentences(c),
    "abbreviations_per_100": lambda c: 100.0 * c.get("abbreviations", 0.0) / _w(c),
    "nominal_chains_per_100": lambda c: 100.0 * c.get("nominal_chains", 0.0) / _w(c),
    "verbal_nouns_share": lambda c: c.get("verbal_nouns", 0.0) / _w(c),
    "nouns_share": lambda c: c.get("nouns", 0.0) / _w(c),
    "nouns_per_verb": lambda c: c.get("nouns", 0.0) / (c.get("verbs", 0.0) + 1.0),
    "log_nouns_per_verb": lambda c: math.log((c.get("nouns", 0.0) + 1.0)
                                             / (c.get("verbs", 0.0) + 1.0)),
    "passives_per_100": lambda c: 100.0 * c.get("passives", 0.0) / _w(c),
    "participles_per_100": lambda c: 100.0 * c.get("participles", 0.0) / _w(c),
    "gerunds_per_100": lambda c: 100.0 * c.get("gerunds", 0.0) / _w(c),
    "wall_share": lambda c: c.get("wall_words", 0.0) / _w(c),
}
