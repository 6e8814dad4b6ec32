"""Reading the fields the page axes need from a post (a dict in our schema or a `PostIn`)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

NO_PAGE = "—"


class Numbers(NamedTuple):
    """The counts of one post (None when not given)."""

    views: int | None
    likes: int | None
    comments: int | None
    reposts: int | None
    subscribers: int | None


def as_dict(post: Any) -> dict[str, Any]:
    """Return `post` as a plain dict (pydantic models are dumped)."""
    if isinstance(post, dict):
        return post
    dump = getattr(post, "model_dump", None)
    return dump() if dump else {}


def page_of(post: dict[str, Any]) -> dict[str, Any]:
    """Return the page object of a post (empty dict when absent)."""
    page = post.get("page")
    return page if isinstance(page, dict) else {}


def page_key(post: dict[str, Any]) -> str:
    """Return the key that groups a post with its page: the page id, else its name, else «—»."""
    page = page_of(post)
    for k in ("id", "name"):
        v = page.get(k)
        if v not in (None, ""):
            return str(v)
    return NO_PAGE


def numbers(post: dict[str, Any]) -> Numbers:
    """Return the counts of a post and its page's subscribers."""
    m = post.get("metrics")
    m = m if isinstance(m, dict) else {}

    def num(v: Any) -> int | None:
        return int(v) if isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 else None

    return Numbers(num(m.get("views")), num(m.get("likes")), num(m.get("comments")),
                   num(m.get("reposts")), num(page_of(post).get("subscribers")))


def parse_time(value: Any) -> datetime | None:
    """Return the datetime of an ISO 8601 string (or a datetime), None when absent or bad."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    return _iso_time(value)


@lru_cache(maxsize=65_536)  # reports and engagement ask each post's time several times
def _iso_time(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def week_of(dt: datetime) -> str:
    """Return the ISO week label of a date, e.g. «2025-W11»."""
    year, week, _ = dt.isocalendar()
    return f"{year}-W{week:02d}"
