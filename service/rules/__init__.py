"""Feedback rules: small functions that take the analysed post and yield feedback items.

A new rule is one function and one line in `RULES`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from service.feedback import Item
from service.rules.context import Context
from service.rules.facts_rules import FACT_RULES
from service.rules.form import FORM_RULES
from service.rules.language import kantselyarit, long_sentences, unexplained_abbreviation
from service.rules.moderation import personal_data, profanity
from service.rules.typos import typos

Rule = Callable[[Context], Iterable[Item]]

RULES: list[Rule] = [
    kantselyarit,
    long_sentences,
    unexplained_abbreviation,
    *FACT_RULES,
    *FORM_RULES,
    profanity,
    personal_data,
    typos,
]

# Rules that read the text alone (doc, its канцелярит hits and readability; never the page,
# platform or earlier stages): their items are computed once per text and copied for reposts.
TEXT_RULES: frozenset[Rule] = frozenset({
    kantselyarit, long_sentences, unexplained_abbreviation, profanity, personal_data, typos})

__all__ = ["RULES", "TEXT_RULES", "Context", "Rule"]
