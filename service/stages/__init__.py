"""Stages run before the rules; each fills `ctx.extra` for the rules and the axes.

A stage is a function `stage(ctx) -> None`. Conventional keys of `ctx.extra`:
- "facts": dates, times, places, contacts ... of the post (service.facts)
- "usefulness": {"score": float, "rubric": str, ...} — the usefulness block of the output
- "engagement": {"score": float | None, ...} — the engagement block of the output
- "activity": {"score": float | None, ...} — the activity block (page context only)
A stage must be cheap per post; heavy state is loaded once per process (cached loaders).
"""

from __future__ import annotations

from collections.abc import Callable

from service.rules.context import Context
from service.stages.engagement_stage import engagement_stage
from service.stages.facts_stage import facts_stage
from service.stages.usefulness_stage import usefulness_stage

Stage = Callable[[Context], None]

STAGES: list[Stage] = [facts_stage, usefulness_stage, engagement_stage]

__all__ = ["STAGES", "Stage"]
