"""The readability model's features: densities of raw counts, each a small pure function.

Sentence length is measured on prose sentences only (headings, greetings and labels on their
own line are left out: `Sentence.fragment`), and on a log scale: 10 → 20 words hurts more than
40 → 50. A word is long by its letters and syllables; a rare word counts only when it is also
long and not a diminutive (a term or a borrowing, not «курочка» of a children's tale). The
nominal style of officialese shows as nouns per verb, verbal nouns and genitive chains.

Shapes that generalise across kinds of text (each real source held out in turn):
- the sentence length a word of the text sits in (Σn²/Σn over prose sentences), beside the
  mean: one 60-word sentence among short ones is harder to read than their mean says;
- the length of the longest sentences (Σn³/Σn² over prose sentences: each sentence weighted
  by its n²): a text is as hard as its longest sentences, which the mean and Σn²/Σn soften;
- adjectives (share of words and per sentence): each one adds a modifier to a noun phrase the
  reader must hold on to, the more per sentence the longer the phrases; plain texts name things
  and actions, hard ones describe and qualify them;
- sparse counts (officialese, acronyms, genitive chains, verbal nouns, participles, passives,
  gerunds) on a log scale per 100 words: the first ones in a text cost the reader most, and a
  text dense with them is not ten times harder than one with a few.
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
    """Return every feature of raw counts, in the order of FEATURES (denominators once).

    Over prose sentences (all sentences when there is no prose): the sentence length a word
    sits in, Σn²/Σn, and the length of the longest sentences, Σn³/Σn².
    """
    g = c.get
    words = g("words", 0.0)
    w = max(1.0, words)
    per100 = 100.0 / w
    s, f = g("sentences", 1.0), g("fragments", 0.0)
    if s > f:  # prose sentences and words, as prose_sentences and prose_words
        ps = s - f
        pw = words - g("fragment_words", 0.0)
        prose_sq = g("prose_words_sq", 0.0)
        weighted = prose_sq / max(1.0, pw)
        longest = g("prose_words_cube", 0.0) / max(1.0, prose_sq)
    else:
        ps = max(1.0, s)
        pw = words
        all_sq = g("all_words_sq", 0.0)
        weighted = all_sq / max(1.0, words)
        longest = g("all_words_cube", 0.0) / max(1.0, all_sq)
    prose_share = pw / w / ps  # letters/syllables of the text scaled to one prose sentence
    letters, syllables, long_words = g("letters", 0.0), g("syllables", 0.0), g("long_words", 0.0)
    nouns, verbs = g("nouns", 0.0), g("verbs", 0.0)
    kants = g("kantselyarit", 0.0)
    adjectives = g("adjectives", 0.0)
    log1p = math.log1p
    return (
        log1p(pw / ps),
        log1p(letters * prose_share),
        log1p(syllables * prose_share),
        log1p(long_words / ps),
        log1p(max(0.0, weighted)),
        log1p(max(0.0, longest)),
        g("commas", 0.0) / ps,
        letters / w,
        syllables / w,
        long_words / w,
        g("very_long_words", 0.0) / w,
        g("hard_words", 0.0) / w,
        g("rarity_long", 0.0) / w,
        g("latin_words", 0.0) / w,
        log1p(kants * per100),
        kants / ps,
        log1p(g("abbreviations", 0.0) * per100),
        log1p(g("nominal_chains", 0.0) * per100),
        log1p(g("verbal_nouns", 0.0) * per100),
        nouns / w,
        nouns / (verbs + 1.0),
        math.log((nouns + 1.0) / (verbs + 1.0)),
        adjectives / w,
        log1p(adjectives / ps),
        log1p(g("passives", 0.0) * per100),
        log1p(g("participles", 0.0) * per100),
        log1p(g("gerunds", 0.0) * per100),
        g("wall_words", 0.0) / w,
    )


FEATURES = (
    "log_words_per_sentence", "log_letters_per_sentence", "log_syllables_per_sentence",
    "log_long_words_per_sentence", "log_weighted_sentence_length", "log_long_sentence_length",
    "clauses_per_sentence",
    "letters_per_word", "syllables_per_word", "long_words_share", "very_long_words_share",
    "hard_words_share", "long_word_rarity", "latin_words_share", "log_kantselyarit_per_100",
    "kantselyarit_per_sentence", "log_abbreviations_per_100", "log_nominal_chains_per_100",
    "log_verbal_nouns_per_100", "nouns_share", "nouns_per_verb", "log_nouns_per_verb",
    "adjectives_share", "log_adjectives_per_sentence",
    "log_passives_per_100", "log_participles_per_100", "log_gerunds_per_100", "wall_share",
)
