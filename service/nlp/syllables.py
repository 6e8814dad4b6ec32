"""Syllable counts for Russian (and Latin) words: one syllable per vowel letter."""

from __future__ import annotations

VOWELS = frozenset("аеёиоуыэюяАЕЁИОУЫЭЮЯaeiouyAEIOUY")
_IS_VOWEL = VOWELS.__contains__


def count_syllables(word: str) -> int:
    """Return the number of syllables of `word` (vowel letters; at least 1 for a word)."""
    n = sum(map(_IS_VOWEL, word))
    return n if n > 0 else (1 if any(ch.isalpha() for ch in word) else 0)
