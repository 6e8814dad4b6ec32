"""The activity of a page as the report reads it, from `service.activity` when it is installed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from service.report.posts import NO_DATE, week_of, when

# Used only when service.activity is absent: posts per week by category (флагманский …).
FALLBACK_NORMS = {"флагманский": 14.0, "активный": 5.0, "визитка": 2.0}
NIGHT = range(0, 7)


def _basic(posts: list[dict[str, Any]], page: Mapping[str, Any],
           norms: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return posts per week against the category norm, active days and night share."""
    norms = dict(norms or FALLBACK_NORMS)
    cat = str(page.get("category") or "").lower()
    norm = float(norms.get(cat, norms.get("активный", 5.0)))
    weeks = Counter(week_of(p) for p in posts)
    weeks.pop(NO_DATE, None)
    n_weeks = max(len(weeks), 1)
    ppw = len(posts) / n_weeks
    score = round(min(100.0, 100.0 * ppw / norm), 1) if norm else None
    times = [t for t in (when(p) for p in posts) if t is not None]
    return {
        "score": score if posts else 0.0,
        "posts_per_week": round(ppw, 1),
        "norm_per_week": norm,
        "active_days": len({t.date() for t in times}) / n_weeks if times else 0,
        "night_share": (sum(1 for t in times if t.hour in NIGHT) / len(times)) if times else None,
        "weeks": [{"week": w, "posts": c, "score": round(min(100.0, 100.0 * c / norm), 1)}
                  for w, c in sorted(weeks.items())],
        "reasons": [],
    }


def activity_of(posts: list[dict[str, Any]], page: Mapping[str, Any],
                norms: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the page's activity block with the keys the report uses (`below_norm` included)."""
    act = _basic(posts, page, norms)
    act["below_norm"] = bool(act["norm_per_week"] and act["posts_per_week"] < act["norm_per_week"])
    return act
