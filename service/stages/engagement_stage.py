"""The engagement stage: a published post against the prior, a draft by its expected engagement."""

from __future__ import annotations

from service.engagement import score_single
from service.engagement.expected import expected
from service.rules.context import Context


def engagement_stage(ctx: Context) -> None:
    """Set `ctx.extra["engagement"]` for a single post."""
    post = ctx.post
    if post.metrics is not None:
        measured = score_single(post)
        if measured is not None:
            ctx.extra["engagement"] = measured
            return
    ctx.extra["engagement"] = expected(post.text, post.attachments, post.published_at)
