"""The facts stage: dates, places, contacts and post kinds for the rules and the usefulness axis."""

from __future__ import annotations

from service.facts import extract_facts
from service.rules.context import Context


def facts_stage(ctx: Context) -> None:
    """Set `ctx.extra["facts"]` to the facts of the post."""
    ctx.extra["facts"] = extract_facts(ctx.doc)
