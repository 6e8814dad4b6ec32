"""The activity of a page as the report reads it, computed by `service.activity`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from service.activity import load_norms, page_activity
from service.report.posts import week_of, when

Period = tuple[datetime, datetime]


def week_period(label: str) -> Period | None:
    """Return the (Monday 00:00, Sunday 23:59:59) of an ISO week label like 2025-W46."""
    try:
        start = datetime.strptime(label + "-1", "%G-W%V-%u")
    except ValueError:
        return None
    return start, start + timedelta(days=7) - timedelta(seconds=1)


def region_period(posts: list[dict[str, Any]]) -> Period | None:
    """Return the (first, last) publication time over the posts, or None without dates."""
    times = [t.replace(tzinfo=None) for t in (when(p) for p in posts) if t is not None]
    return (min(times), max(times)) if times else None


def _silent(page: Mapping[str, Any], norms: Any) -> dict[str, Any]:
    """Return the activity of a page without a single post in the period."""
    category, norm, known = norms.for_category(page.get("category"))
    return {"category": category, "category_known": known, "norm": dict(norm), "posts": 0,
            "score": 0.0, "posts_per_week": 0.0, "below_norm": True, "weekly": [],
            "reasons": [f"ни одного поста за период при норме от {norm['min_per_week']} в неделю"],
            "reason": "нет постов за период"}


def activity_of(posts: list[dict[str, Any]], page: Mapping[str, Any],
                norms: Any = None, period: Period | None = None,
                duplicate: float | None = None) -> dict[str, Any]:
    """Return the page's activity block plus the flat keys the report reads.

    Added keys: `norm_per_week`, `target_per_week`, `active_days`, `night_share` and `weeks`
    (activity score per ISO week, each week scored against the norm on its own).
    """
    norms = norms or load_norms()
    if not posts:
        act = _silent(page, norms)
    else:
        act = page_activity(posts, dict(page), norms, period=period, duplicate=duplicate)
    norm = act.get("norm") or {}
    act["norm_per_week"] = norm.get("min_per_week")
    act["target_per_week"] = norm.get("target_per_week")
    act["active_days"] = (act.get("regularity") or {}).get("active_days", 0)
    act["night_share"] = (act.get("hours") or {}).get("night_share")
    act["below_norm"] = bool(act.get("below_norm"))
    act["weeks"] = _weeks(posts, page, norms, act, duplicate)
    return act


def _weeks(posts: list[dict[str, Any]], page: Mapping[str, Any], norms: Any,
           act: dict[str, Any], duplicate: float | None) -> list[dict[str, Any]]:
    """Return the activity score week by week (the page score when there is one week)."""
    labels = [w["week"] for w in act.get("weekly") or []]
    if len(labels) <= 1:
        return [{"week": w, "score": act.get("score")} for w in labels]
    by_week: dict[str, list[dict[str, Any]]] = {w: [] for w in labels}
    for p in posts:
        by_week.setdefault(week_of(p), []).append(p)
    out = []
    for label in labels:
        chunk, period = by_week.get(label) or [], week_period(label)
        score = 0.0 if not chunk else page_activity(
            chunk, dict(page), norms, period=period, duplicate=duplicate).get("score")
        out.append({"week": label, "score": score})
    return out
