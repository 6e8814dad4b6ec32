"""Syllable counts for Russian (and Latin) words: one syllable per vowel letter."""

from __future__ import annotations

VOWELS = frozenset("аеёиоуыэюяАЕЁИОУЫЭЮЯaeiouyAEIOUY")


def count_syllables(word: str) -> int:
    """Return the number of syllables of `word` (vowel letters; at least 1 for a word)."""
    n = sum(1 for ch in word if ch in VOWELS)
    return n if n > 0 else (1 if any(ch.isalpha() for ch in word) else 0)
