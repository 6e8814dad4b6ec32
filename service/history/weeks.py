"""What the history keeps of scored posts: figures per page and ISO week, and ranks (pure).

The rows are the scored posts as a batch or `gospablik score` gives them (the batch report's
views will do: they keep page, date, scores, moderation, feedback codes). A week is the ISO
week of publication in the region's time zone; a time without an offset is taken as local.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from service.activity import Norms, duplicate_share, load_norms, page_activity
from service.history.rank import ranks
from service.post_fields import NO_PAGE, page_key, parse_time
from service.post_fields import week_of as week_label
from service.report.posts import axis_means

PAGE_META = ("name", "type", "category", "region", "municipality", "platform")
# Problems a report counts: every warning; of the info items only personal data
# (as service.report.posts.problems does).
INFO_PROBLEMS = frozenset({"personal_data"})


@dataclass(slots=True)
class PageWeek:
    """The figures of one page in one ISO week (one history row)."""

    page_id: str
    week: str
    week_start: date
    region: str
    page_type: str | None
    posts: int
    posts_with_text: int
    blocked: int
    scores: dict[str, float | None]
    problems: dict[str, int]
    regularity: float | None
    meets_norm: bool | None
    norm_per_week: float | None
    rank: dict[str, int | None] = field(default_factory=dict)


def week_start(label: str) -> date:
    """Return the Monday of an ISO week label such as 2025-W46."""
    return datetime.strptime(label + "-1", "%G-W%V-%u").date()


def local_time(value: Any, tz: ZoneInfo) -> datetime | None:
    """Return the publication time in the region's time zone (naive times are local already)."""
    t = parse_time(value)
    if t is None:
        return None
    return t.replace(tzinfo=tz) if t.tzinfo is None else t.astimezone(tz)


def page_meta(pages: Mapping[str, Mapping[str, Any]] | None,
              grouped: Mapping[str, list[dict[str, Any]]],
              region: str | None) -> dict[str, dict[str, Any]]:
    """Return each page's metadata: the pages file first, then what its posts say.

    `region` is the fallback for a page that names none itself.
    """
    out: dict[str, dict[str, Any]] = {}
    for pid, posts in grouped.items():
        info: dict[str, Any] = {k: v for k, v in ((pages or {}).get(pid) or {}).items()
                                if k in PAGE_META and v not in (None, "")}
        for p in posts:
            src = p.get("page")
            if not isinstance(src, dict):
                continue
            for k in PAGE_META:
                v = src.get(k)
                if k not in info and v not in (None, ""):
                    info[k] = v
            if "platform" not in info and p.get("platform"):
                info["platform"] = p["platform"]
        info = {k: str(v) for k, v in info.items()}
        info.setdefault("region", region or "")
        out[pid] = info
    return out


def _problems(posts: list[dict[str, Any]]) -> dict[str, int]:
    """Return {code: posts with it} over the posts."""
    counts: Counter[str] = Counter()
    for p in posts:
        codes = set()
        for it in p.get("feedback") or ():
            code = it.get("code")
            if code and (it.get("severity") != "info" or code in INFO_PROBLEMS):
                codes.add(code)
        counts.update(codes)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _activity_view(p: dict[str, Any], t: datetime) -> dict[str, Any]:
    """Return what page_activity reads of a post, its time in the region's zone."""
    return {"published_at": t, "is_repost": p.get("is_repost"), "usefulness": p.get("usefulness")}


def page_weeks(rows: Iterable[dict[str, Any]],
               pages: Mapping[str, Mapping[str, Any]] | None = None,
               region: str | None = None, tz: str = "Europe/Moscow",
               norms: Norms | None = None) -> tuple[list[PageWeek], dict[str, dict[str, Any]]]:
    """Return the page-week figures of scored rows (ranked) and the pages' metadata.

    A row without a page or a readable date belongs to no page-week and is skipped; a row with
    an error but a page and a date counts as a published post without text. Pages of the pages
    file that published nothing in a week the upload covers get a silent week (posts 0).
    """
    from service.report.collect import overall  # the scorer's axis weights (a heavy import)

    zone = ZoneInfo(tz)
    norms = norms or load_norms()
    grouped: defaultdict[str, defaultdict[str, list[tuple[dict[str, Any], datetime]]]] = \
        defaultdict(lambda: defaultdict(list))
    for p in rows:
        pid = page_key(p)
        if pid == NO_PAGE:
            continue
        t = local_time(p.get("published_at"), zone)
        if t is None:
            continue
        grouped[pid][week_label(t)].append((p, t))
    flat = {pid: [p for posts in by_week.values() for p, _ in posts]
            for pid, by_week in grouped.items()}
    meta = page_meta(pages, flat, region)
    covered: defaultdict[str, set[str]] = defaultdict(set)  # region -> weeks in this upload
    for pid, by_week in grouped.items():
        covered[meta[pid]["region"]].update(by_week)
    for pid, info in page_meta(pages, {k: [] for k in pages or {} if k not in grouped},
                               region).items():
        if covered.get(info["region"]):
            meta[pid] = info
    out: list[PageWeek] = []
    for wk in sorted({w for ws in covered.values() for w in ws}):
        in_week = {pid: by_week[wk] for pid, by_week in grouped.items() if wk in by_week}
        dups = duplicate_share({pid: [p for p, _ in posts] for pid, posts in in_week.items()})
        start = week_start(wk)
        period = (datetime.combine(start, datetime.min.time()),
                  datetime.combine(start + timedelta(days=6), datetime.max.time()))
        for pid, info in meta.items():
            if wk not in covered.get(info["region"], ()):
                continue
            posts = in_week.get(pid)
            out.append(_figures(pid, wk, start, info, posts or [], norms, period,
                                dups.get(pid), overall))
    rank(out)
    return out, meta


def _figures(pid: str, wk: str, start: date, info: dict[str, Any],
             posts: list[tuple[dict[str, Any], datetime]], norms: Norms,
             period: tuple[datetime, datetime], duplicate: float | None,
             overall: Callable[[dict[str, Any]], float | None]) -> PageWeek:
    """Return one page's figures for one week (a silent week when it has no posts)."""
    ok = [p for p, _ in posts if not p.get("error")]
    _, norm, _ = norms.for_category(info.get("category"))
    if posts:
        act = page_activity([_activity_view(p, t) for p, t in posts], dict(info), norms,
                            period=period, duplicate=duplicate)
        activity = act.get("score")
        regularity = (act.get("components") or {}).get("regularity")
    else:
        activity, regularity = 0.0, None
    means = axis_means(ok)
    scores: dict[str, float | None] = {k: means.get(k) for k in
                                       ("readability", "usefulness", "engagement")}
    scores["activity"] = activity
    scores["overall"] = overall(scores) if ok else None
    return PageWeek(
        page_id=pid, week=wk, week_start=start, region=info["region"],
        page_type=info.get("type"), posts=len(posts), posts_with_text=len(ok),
        blocked=sum(1 for p in ok if (p.get("moderation") or {}).get("blocked")),
        scores=scores, problems=_problems(ok),
        regularity=None if regularity is None else round(regularity, 1),
        meets_norm=len(posts) >= norm["min_per_week"],
        norm_per_week=float(norm["min_per_week"]))


def rank(rows: list[PageWeek]) -> None:
    """Set each row's rank by overall within its region and week, and among the same type."""
    places = ranks((i, r.region, r.week, r.page_type, r.scores.get("overall"))
                   for i, r in enumerate(rows))
    for i, r in enumerate(rows):
        r.rank = places[i]
