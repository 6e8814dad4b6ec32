"""Per-post pieces of a report: dates, weeks, excerpts, problems with examples, best and worst."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from statistics import fmean
from typing import Any

from service.engagement.score import BY_SUBSCRIBERS, BY_VIEWS, PARTLY_BY_SUBSCRIBERS
from service.post_fields import parse_time
from service.post_fields import week_of as iso_week
from service.report.labels import AXES, problem_ru

NO_DATE = "без даты"
MEAN_KEYS = (*AXES, "overall")


def when(post: dict[str, Any]) -> datetime | None:
    """Return the post's publication time, or None when it has none or it is unreadable."""
    return parse_time(post.get("published_at"))


def iso(post: dict[str, Any]) -> str | None:
    """Return the post's publication time as ISO 8601, or None."""
    t = when(post)
    return None if t is None else t.isoformat()


def week_of(post: dict[str, Any]) -> str:
    """Return the ISO week label of the post (e.g. 2025-W46), or «без даты»."""
    t = when(post)
    return NO_DATE if t is None else iso_week(t)


def week_label(label: str) -> str:
    """Return an ISO week label for people: «10.11–16.11.2025» (as given when not a week)."""
    try:
        monday = datetime.strptime(label + "-1", "%G-W%V-%u")
    except ValueError:
        return label
    sunday = monday + timedelta(days=6)
    return f"{monday:%d.%m}–{sunday:%d.%m.%Y}"


EXCERPT_MAX = 220  # the longest excerpt a report shows
CARD_ITEMS = 3  # feedback items on a post card


def _squash(text: str | None) -> str:
    """Return the text with every run of whitespace made one space."""
    return " ".join((text or "").split())


def excerpt_source(text: str | None) -> str:
    """Return the start of a text that gives the same excerpts as the whole text (≤ EXCERPT_MAX).

    Whitespace is collapsed as `excerpt` does; two characters past the longest excerpt keep
    its cut and its ellipsis exactly as they would be on the whole text.
    """
    return _squash(text)[: EXCERPT_MAX + 2]


def excerpt(text: str | None, limit: int = EXCERPT_MAX) -> str:
    """Return the start of a text cut at a word boundary, with an ellipsis when cut."""
    s = _squash(text)
    if len(s) <= limit:
        return s
    cut = s.rfind(" ", 0, limit)
    return s[: cut if cut > limit // 2 else limit].rstrip(" ,.;:—-") + "…"


def clip(s: str | None, limit: int = 160) -> str | None:
    """Return a fragment cut to `limit` characters (with an ellipsis), or None."""
    if s is None or len(s) <= limit:
        return s
    return s[: limit - 1].rstrip() + "…"


def mean(values: list[float | None]) -> float | None:
    """Return the rounded mean of the values that are not None, or None."""
    vals = [v for v in values if v is not None]
    return round(fmean(vals), 1) if vals else None


def axis_means(posts: list[dict[str, Any]]) -> dict[str, float | None]:
    """Return the mean of each post axis and of overall over the posts (one pass)."""
    vals: dict[str, list[float | None]] = {k: [] for k in MEAN_KEYS}
    for p in posts:
        scores = p.get("scores")
        if scores:
            for k, acc in vals.items():
                v = scores.get(k)
                if v is not None:
                    acc.append(v)
    return {k: mean(acc) for k, acc in vals.items()}


def er_figures(posts: list[dict[str, Any]], subscribers: int | None) -> dict[str, Any]:
    """Return the page's total views and interactions, ER by views and by subscribers, in %."""
    views = inter = n = 0
    for p in posts:
        m = p.get("metrics") or {}
        if not isinstance(m, dict) or m.get("views") is None:
            continue
        n += 1
        views += m.get("views") or 0
        inter += sum(m.get(k) or 0 for k in ("likes", "comments", "reposts"))
    out: dict[str, Any] = {"posts_with_metrics": n, "views": views, "interactions": inter,
                           "er_views": None, "er_subscribers": None}
    if n and views:
        out["er_views"] = round(100 * inter / views, 2)
    if n and subscribers:
        out["er_subscribers"] = round(100 * inter / n / subscribers, 2)
    return out


def audience_note(er: dict[str, Any]) -> str | None:
    """Return «около 51 500 (оценка по просмотрам)» when a page's audience was inferred, else None."""
    if er.get("audience_source") != "views" or er.get("audience") is None:
        return None
    size = f"{er['audience']:,.0f}".replace(",", " ")
    return f"около {size} ({BY_VIEWS})"


def views_note(er: dict[str, Any]) -> str | None:
    """Return how a page's views were inferred («оценка по подписчикам»), None when all given."""
    return {"subscribers": BY_SUBSCRIBERS, "mixed": PARTLY_BY_SUBSCRIBERS}.get(
        str(er.get("views_source")))


def post_card(post: dict[str, Any], n_items: int = CARD_ITEMS) -> dict[str, Any]:
    """Return a short view of a post for a report: excerpt, scores, metrics, top feedback."""
    items = post.get("feedback") or []
    return {
        "id": post.get("id"),
        "published_at": iso(post),
        "excerpt": excerpt(post.get("text")),
        "scores": post.get("scores") or {},
        "rubric": (post.get("usefulness") or {}).get("rubric"),
        "metrics": post.get("metrics"),
        "blocked": bool((post.get("moderation") or {}).get("blocked")),
        "feedback": [
            {"code": it.get("code"), "severity": it.get("severity"),
             "message": it.get("message"), "fragment": clip(it.get("fragment")),
             "suggestion": clip(it.get("suggestion")), "gain": it.get("gain")}
            for it in items[:n_items]
        ],
    }


# A post is shown as one of a page's best only when it is actually good: overall at least the
# region's 75th percentile of posts, but never below 60 (in a weak region the top quarter
# starts in the 40s) nor above 70 (the report paints 70+ green: a green post is good in any
# region). On a generated region (3,000 posts) the 75th percentile was 57.8 and 21 % of posts
# scored 60 or more; before this rule 115 of 233 pages showed a «best» post below 60.
GOOD_POST_FLOOR, GOOD_POST_CAP = 60.0, 70.0


def good_post_min(p75: float | None) -> float:
    """Return the overall a post needs to be shown among the best, given the region's p75."""
    return GOOD_POST_FLOOR if p75 is None else max(GOOD_POST_FLOOR, min(p75, GOOD_POST_CAP))


def best_and_worst(posts: list[dict[str, Any]], n: int = 3,
                   good: float = GOOD_POST_FLOOR) -> tuple[list[dict], list[dict]]:
    """Return the best posts (only good ones: overall ≥ `good`, not blocked) and the worst
    (blocked posts first), never the same post in both."""
    rated = [p for p in posts if (p.get("scores") or {}).get("overall") is not None]

    def blocked(p: dict[str, Any]) -> bool:
        return bool((p.get("moderation") or {}).get("blocked"))

    ordered = sorted(rated, key=lambda p: (0 if blocked(p) else 1, p["scores"]["overall"]))
    k = min(n, len(ordered) // 2) if len(ordered) < 2 * n else n
    worst = ordered[:k]
    best = [p for p in reversed(ordered[k:])
            if not blocked(p) and p["scores"]["overall"] >= good][:n]
    return [post_card(p) for p in best], [post_card(p) for p in worst]


def problems(posts: list[dict[str, Any]], top: int = 3, examples: int = 2) -> list[dict[str, Any]]:
    """Return the most frequent feedback problems with their share of posts and example posts."""
    n_posts: Counter[str] = Counter()
    gain: defaultdict[str, float] = defaultdict(float)
    first: dict[str, dict[str, Any]] = {}
    cases: defaultdict[str, list[tuple[float, dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    for p in posts:
        seen: set[str] = set()
        for it in p.get("feedback") or []:
            code = it.get("code")
            if not code or it.get("severity") == "info" and code not in ("personal_data",):
                continue
            gain[code] += it.get("gain") or 0.0
            first.setdefault(code, it)
            if code not in seen:
                seen.add(code)
                n_posts[code] += 1
                cases[code].append((it.get("gain") or 0.0, p, it))
    ranked = sorted(n_posts, key=lambda c: (-n_posts[c], -gain[c], c))[:top]
    total = max(len(posts), 1)
    out = []
    for code in ranked:
        best_cases = sorted(cases[code], key=lambda c: -c[0])[:examples]
        out.append({
            "code": code,
            "title": problem_ru(code, first[code].get("message")),
            "axis": first[code].get("axis"),
            "posts": n_posts[code],
            "share": round(n_posts[code] / total, 3),
            "gain": round(gain[code] / n_posts[code], 1),
            "suggestion": next((c[2].get("suggestion") for c in best_cases
                                if c[2].get("suggestion")), None),
            "examples": [
                {"id": p.get("id"), "published_at": iso(p),
                 "excerpt": excerpt(p.get("text"), 160), "message": it.get("message"),
                 "fragment": clip(it.get("fragment")), "suggestion": clip(it.get("suggestion"))}
                for _, p, it in best_cases
            ],
        })
    return out


def rubric_mix(posts: list[dict[str, Any]]) -> dict[str, float]:
    """Return the share of posts per rubric, largest first."""
    c = Counter((p.get("usefulness") or {}).get("rubric") or "other" for p in posts)
    total = sum(c.values()) or 1
    return {k: round(v / total, 3) for k, v in c.most_common()}
