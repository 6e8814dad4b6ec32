"""Engagement axis: scores of published posts (`score`), the peer prior, the draft estimate."""

from service.engagement.score import (
    analyse,
    engagement_by_page,
    engagement_scores,
    estimate_note,
    score_single,
)

__all__ = ["analyse", "engagement_by_page", "engagement_scores", "estimate_note", "score_single"]
