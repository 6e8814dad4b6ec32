"""Spelling rule: misspelt words with a confident dictionary correction."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from service.feedback import Item
from service.moderation.spelling import find_typos
from service.rules.context import Context

TYPO_GAIN = 0.5  # readability points: a slip hurts trust more than reading speed


def _piece_of_a_word(text: str, start: int, end: int) -> bool:
    """Return True when the span is only part of a written word, cut off by an accent mark, a
    soft hyphen or emphasis inside it: «ви́дением» (-> «дением»), «содерж**а**т» («содерж»)."""
    while start and unicodedata.category(text[start - 1]) == "Cf":
        start -= 1  # a soft hyphen or a zero-width space inside the word
    while end < len(text) and unicodedata.category(text[end]) == "Cf":
        end += 1
    before, after = text[start - 1 : start] if start else "", text[end : end + 2]

    def glued(c: str) -> bool:
        return bool(c) and (c.isalpha() or unicodedata.category(c) in ("Mn", "Cf"))

    return glued(before) or glued(after[:1]) or (after[:1] in ("*", "_") and glued(after[1:2]))


def typos(ctx: Context) -> Iterator[Item]:
    """Yield an item per misspelt word, with the corrected word as the suggestion."""
    text = ctx.doc.text
    for t in ctx.doc.memo("typos", lambda: find_typos(ctx.doc)):
        if _piece_of_a_word(text, t.start, t.end):
            continue  # the correction of a fragment would garble the word
        yield Item(
            code="typos",
            axis="readability",
            severity="warning",
            message=f"Похоже на опечатку: «{t.word}»",
            start=t.start,
            end=t.end,
            fragment=t.word,
            suggestion=t.correction,
            gain=TYPO_GAIN,
        )
