"""Spelling rule: misspelt words with a confident dictionary correction."""

from __future__ import annotations

from collections.abc import Iterator

from service.feedback import Item
from service.moderation.spelling import find_typos
from service.rules.context import Context

TYPO_GAIN = 0.5  # readability points: a slip hurts trust more than reading speed


def typos(ctx: Context) -> Iterator[Item]:
    """Yield an item per misspelt word, with the corrected word as the suggestion."""
    for t in ctx.doc.memo("typos", lambda: find_typos(ctx.doc)):
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
