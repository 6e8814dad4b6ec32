"""Progress over weeks in a report: each page's weeks on record and what changed
(service.history.progress), read from the history store in one query for the whole region."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from service.history.progress import progress

log = logging.getLogger(__name__)
WEEK_KEYS = ("week", "start", "posts", "blocked", "scores", "rank")
ARROW = {"up": "↑", "down": "↓", "flat": "→"}


def load_histories(page_ids: Iterable[str],
                   settings: Any = None) -> dict[str, list[dict[str, Any]]]:
    """Return the weeks on record of each page (empty when there is no history store).

    A report is still worth having when the store cannot be read: the failure is logged and
    the report goes out without progress.
    """
    ids = [str(p) for p in page_ids]
    if not ids:
        return {}
    try:
        from service.history import get_store
    except ImportError:
        return {}
    try:
        return dict(get_store(settings).pages_history(ids))
    except Exception:  # any database failure: the report goes out without history
        log.exception("history store unreadable: the report goes out without progress")
        return {}


def page_history(row: Mapping[str, Any], weeks: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the history block of one page row: its weeks (slim) and their progress."""
    norm = (row.get("activity") or {}).get("norm_per_week")
    return {"weeks": [{k: w.get(k) for k in WEEK_KEYS} for w in weeks],
            "progress": progress(weeks, norm)}


def attach_history(report: dict[str, Any],
                   histories: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Add `history` to every page row with weeks on record and a summary to the report.

    Works on a region report (rows in `pages`) and on a page report (the report itself).
    """
    rows = report.get("pages") if "pages" in report else [report]
    counts = {"pages": 0, "up": 0, "down": 0, "flat": 0, "max_weeks": 0}
    for r in rows or []:
        if not r.get("page"):
            continue
        weeks = histories.get(str(r["page"]["id"])) or []
        if not weeks:
            continue
        r["history"] = page_history(r, weeks)
        p = r["history"]["progress"]
        counts["pages"] += 1
        counts["max_weeks"] = max(counts["max_weeks"], p["weeks"])
        if p.get("trend"):
            counts[p["trend"]] += 1
    if "pages" in report:
        report["history"] = counts
    return report


def with_history(report: dict[str, Any], settings: Any = None) -> dict[str, Any]:
    """Return the report with each page's progress from the history store (where it has one);
    `settings` picks the store (default: the process settings)."""
    rows = report.get("pages") if "pages" in report else [report]
    ids = [str(r["page"]["id"]) for r in rows or [] if r.get("page")]
    return attach_history(report, load_histories(ids, settings))


def trend_text(p: Mapping[str, Any]) -> str:
    """Return «↑ стало лучше после недели 10.11–16.11: итог 41 → 58» ('' without a trend)."""
    t = p.get("trend")
    if not t:
        return ""
    text = f"{ARROW[t]} {p['label']}"
    if t != "flat" and p.get("from") is not None and p.get("to") is not None:
        text += f": итог {p['from']:.0f} → {p['to']:.0f}"
    return text
