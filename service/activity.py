"""Activity of a page: posting frequency against its category's norm, regularity, posting
hours, content mix by rubric, shares of reposts and of texts duplicated across pages."""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from service.post_fields import as_dict, page_key, page_of, parse_time, week_of

NORMS_FILE = Path(__file__).resolve().parent / "config" / "activity_norms.toml"
WEIGHTS = {"frequency": 0.45, "regularity": 0.25, "originality": 0.15, "mix": 0.10, "hours": 0.05}
PROTOCOL = {"official_activity", "greetings"}  # rubrics trainers ask to keep in check
MIN_DUP_CHARS = 60  # shorter texts («С праздником!») repeat by nature

_URL = re.compile(r"https?://\S+|www\.\S+|\[[^\]|]+\|([^\]]*)\]|#\w+")
_NON_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True, slots=True)
class Norms:
    """Posting norms per page category, read from service/config/activity_norms.toml."""

    categories: dict[str, dict[str, Any]]
    default: str
    aliases: dict[str, str]
    limits: dict[str, Any]

    def for_category(self, category: Any) -> tuple[str, dict[str, Any], bool]:
        """Return the category name, its norm, and whether the page's category was known."""
        key = str(category or "").strip().lower()
        key = self.aliases.get(key, key)
        if key in self.categories:
            return key, self.categories[key], True
        return self.default, self.categories[self.default], False


@lru_cache(maxsize=4)
def load_norms(path: str | None = None) -> Norms:
    """Return the posting norms (cached) from the config file."""
    with open(path or NORMS_FILE, "rb") as f:
        d = tomllib.load(f)
    cats = {k.lower(): v for k, v in d["categories"].items()}
    if d["default"] not in cats:
        raise ValueError(f"activity norms: default category {d['default']!r} is not defined")
    return Norms(cats, d["default"], {k.lower(): v for k, v in d.get("aliases", {}).items()},
                 d.get("limits", {}))


def fingerprint(text: str) -> str | None:
    """Return a fingerprint of a text for finding copies across pages, None when too short."""
    norm = _NON_WORD.sub(" ", _URL.sub(" ", text.lower())).strip()
    if len(norm) < MIN_DUP_CHARS:
        return None
    return hashlib.blake2b(norm.encode(), digest_size=12).hexdigest()


def duplicate_share(posts_by_page: dict[str, list[Any]]) -> dict[str, float]:
    """Return, per page, the share of its own posts whose text also appears on another page."""
    prints: dict[str, list[str | None]] = {}
    pages_of: dict[str, set[str]] = {}
    for key, posts in posts_by_page.items():
        fps = []
        for p in posts:
            d = as_dict(p)
            if d.get("is_repost"):
                fp = None
            elif "_fp" in d:  # computed by the batch's chunk jobs (service.jobs.results)
                fp = d["_fp"]
            else:
                fp = fingerprint(str(d.get("text") or ""))
            fps.append(fp)
            if fp:
                pages_of.setdefault(fp, set()).add(key)
        prints[key] = fps
    return {key: (sum(1 for fp in fps if fp and len(pages_of[fp]) > 1) / len(fps) if fps else 0.0)
            for key, fps in prints.items()}


def group_by_page(posts: list[Any]) -> dict[str, list[dict[str, Any]]]:
    """Return posts grouped by their page key, in input order."""
    out: dict[str, list[dict[str, Any]]] = {}
    for p in posts:
        d = as_dict(p)
        out.setdefault(page_key(d), []).append(d)
    return out


def _rubric(post: dict[str, Any]) -> str | None:
    use = post.get("usefulness")
    r = use.get("rubric") if isinstance(use, dict) else post.get("rubric")
    return r if isinstance(r, str) and r else None


def _frequency(per_week: float, norm: dict[str, Any]) -> float:
    lo, target = norm["min_per_week"], norm["target_per_week"]
    if per_week >= target:
        return 100.0
    if per_week >= lo:
        return 60.0 + 40.0 * (per_week - lo) / max(target - lo, 1e-9)
    return 60.0 * per_week / lo


def _num(x: float) -> str:
    return f"{x:.1f}".replace(".", ",").removesuffix(",0")


def _posts(x: float) -> str:
    """Return «1 пост», «2,5 поста», «7 постов»."""
    n = _num(x)
    if "," in n:
        return f"{n} поста"
    k = int(n)
    if k % 10 == 1 and k % 100 != 11:
        return f"{n} пост"
    if 2 <= k % 10 <= 4 and not 12 <= k % 100 <= 14:
        return f"{n} поста"
    return f"{n} постов"


def page_activity(posts: list[Any], page: dict[str, Any] | None = None,
                  norms: Norms | None = None,
                  period: tuple[datetime, datetime] | None = None,
                  duplicate: float | None = None) -> dict[str, Any]:
    """Return a page's activity: 0–100 score, reasons in Russian, weekly breakdown, components.

    `period` is the (start, end) the posts cover (default: first to last post, at least a
    week); `duplicate` the share from `duplicate_share` over the region's pages.
    """
    norms = norms or load_norms()
    dicts = [as_dict(p) for p in posts]
    page = page or (page_of(dicts[0]) if dicts else {})
    category, norm, known = norms.for_category(page.get("category"))
    limits = norms.limits
    # Wall-clock time as the page posted it: hours and days are what residents saw.
    timed = sorted((t.replace(tzinfo=None), bool(d.get("is_repost")))
                   for d in dicts if (t := parse_time(d.get("published_at"))))
    times = [t for t, _ in timed]
    base: dict[str, Any] = {"category": category, "category_known": known, "norm": dict(norm),
                            "posts": len(dicts)}
    if not times:
        return {**base, "score": None, "below_norm": None, "weekly": [], "reasons": [],
                "reason": "у постов нет дат публикации: активность посчитать нельзя"}
    if period:
        start, end = (p.replace(tzinfo=None) for p in period)
    else:  # whole days, from the first post's day to the end of the last post's day
        start, end = times[0], times[-1].replace(hour=23, minute=59, second=59, microsecond=0)
    start = min(start, times[0]).replace(hour=0, minute=0, second=0, microsecond=0)
    end = max(end, times[-1], start + timedelta(days=7) - timedelta(seconds=1))
    days = max(7.0, math.ceil((end - start).total_seconds() / 86400))
    per_week = len(times) / (days / 7)
    reasons: list[tuple[float, str]] = []  # (weight of the problem, message)

    freq = _frequency(per_week, norm)
    per_day = Counter(t.date() for t in times)
    flood = sum(1 for c in per_day.values() if c > norm["max_per_day"])
    if flood:
        freq = max(0.0, freq - 30.0 * flood / len(per_day))
        reasons.append((10, f"в {flood} дн. больше {norm['max_per_day']} постов в день: лента "
                            "перегружена, читатели начинают скрывать страницу"))
    below = per_week < norm["min_per_week"]
    if below:
        reasons.append((100 - freq, f"{_posts(per_week)} в неделю при норме от "
                                    f"{norm['min_per_week']} для категории «{category}»"))
    elif per_week < norm["target_per_week"]:
        reasons.append((100 - freq, f"{_posts(per_week)} в неделю: норма выполнена, "
                                    f"хорошо бы {norm['target_per_week']}"))

    weekly = _weekly(timed, start, end, norm)
    edges = [start, *times, end]
    gap = max((b - a).total_seconds() / 86400 for a, b in zip(edges, edges[1:], strict=False))
    gap_score = 100.0 if gap <= norm["max_gap_days"] else 100.0 * norm["max_gap_days"] / gap
    full = [w for w in weekly if w["full"]]
    met = sum(1 for w in full if w["meets_norm"]) / len(full) if len(full) >= 2 else None
    regularity = gap_score if met is None else 0.6 * gap_score + 0.4 * 100 * met
    if gap > norm["max_gap_days"]:
        reasons.append((100 - regularity, f"перерыв {_num(gap)} дн. без постов (допустимо до "
                                          f"{norm['max_gap_days']})"))

    reposts = sum(1 for d in dicts if d.get("is_repost")) / len(dicts)
    dup = duplicate or 0.0
    originality = 100.0 * max(0.0, 1 - 0.5 * reposts - 0.5 * dup)
    if reposts > limits.get("max_repost_share", 0.5):
        reasons.append((100 - originality, f"{round(100 * reposts)} % постов — репосты: мало "
                                           "своих новостей"))
    if dup > limits.get("max_duplicate_share", 0.3):
        reasons.append((100 - originality, f"{round(100 * dup)} % текстов слово в слово есть на "
                                           "других страницах"))

    hours = Counter(t.hour for t in times)
    n_from, n_to = limits.get("night_from", 23), limits.get("night_to", 6)
    night = sum(c for h, c in hours.items() if h >= n_from or h < n_to) / len(times)
    hours_score = 100.0 * (1 - night)
    if night > 0.2:
        reasons.append((30 * night, f"{round(100 * night)} % постов выходят ночью, когда их "
                                    "почти никто не видит"))

    rubrics = Counter(r for r in (_rubric(d) for d in dicts) if r)
    mix, protocol = _mix(rubrics)
    if protocol is not None and protocol > 0.5:
        reasons.append((100 - (mix or 0), f"{round(100 * protocol)} % постов — протокольные "
                                          "(совещания, поздравления): мало пользы жителям"))

    parts: dict[str, float | None] = {"frequency": freq, "regularity": regularity,
                                      "originality": originality, "hours": hours_score,
                                      "mix": mix}
    known_parts = {k: v for k, v in parts.items() if v is not None}
    score = (sum(WEIGHTS[k] * v for k, v in known_parts.items())
             / sum(WEIGHTS[k] for k in known_parts))
    if not known:
        reasons.append((1, f"категория страницы не указана: взята норма «{category}»"))
    told = [m for _, m in sorted(reasons, key=lambda r: -r[0])]
    if not told:
        told = [f"{_posts(per_week)} в неделю, без долгих перерывов — так держать"]
    return {
        **base, "score": round(score, 1), "posts_per_week": round(per_week, 2),
        "below_norm": below, "period": {"from": start.isoformat(), "to": end.isoformat()},
        "regularity": {"longest_gap_days": round(gap, 1), "active_days": len(per_day),
                       "longest_streak_days": _streak(per_day), "weeks_meeting_norm": met},
        "hours": {"by_hour": [hours.get(h, 0) for h in range(24)],
                  "night_share": round(night, 3)},
        "content_mix": {"rubrics": dict(rubrics.most_common()), "protocol_share": protocol},
        "repost_share": round(reposts, 3), "duplicate_share": round(dup, 3),
        "components": {k: None if v is None else round(v, 1) for k, v in parts.items()},
        "weekly": weekly, "reasons": told, "reason": "; ".join(told[:3]),
    }


def _mix(rubrics: Counter[str]) -> tuple[float | None, float | None]:
    n = sum(rubrics.values())
    if n < 3:
        return None, None
    protocol = sum(c for r, c in rubrics.items() if r in PROTOCOL) / n
    diversity = {1: 40.0, 2: 70.0}.get(len(rubrics), 100.0)
    return 0.5 * diversity + 50.0 * (1 - max(0.0, protocol - 0.3) / 0.7), round(protocol, 3)


def _streak(per_day: Counter[Any]) -> int:
    days = sorted(per_day)
    best = run = 1
    for a, b in zip(days, days[1:], strict=False):
        run = run + 1 if (b - a).days == 1 else 1
        best = max(best, run)
    return best


def _weekly(timed: list[tuple[datetime, bool]], start: datetime, end: datetime,
            norm: dict[str, Any]) -> list[dict[str, Any]]:
    n = max(1, math.ceil((end - start).total_seconds() / (7 * 86400)))
    counts = [[0, 0] for _ in range(n)]
    for t, repost in timed:
        i = min(n - 1, int((t - start).total_seconds() // (7 * 86400)))
        counts[i][0] += 1
        counts[i][1] += repost
    weeks = []
    for i, (count, reposts) in enumerate(counts):
        a, b = start + timedelta(days=7 * i), start + timedelta(days=7 * (i + 1))
        weeks.append({"week": week_of(a), "from": a.date().isoformat(),
                      "to": (b - timedelta(days=1)).date().isoformat(), "posts": count,
                      "reposts": reposts, "full": b <= end + timedelta(seconds=1),
                      "meets_norm": count >= norm["min_per_week"]})
    return weeks
