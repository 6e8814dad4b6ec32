"""What changed for a page over its weeks on record: changes since the previous and the first
week, problems gone and new, streaks, rank movement and a trend with a label a trainer reads.

Pure functions over the history store's WEEK records (see service.history): no database here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

AXES_ALL = ("readability", "usefulness", "engagement", "activity", "overall")
# A week's overall is a mean over few posts (a median page posts 3 a week), so a change is
# only called up or down when it exceeds one standard error of the difference of two such
# means: POST_SD × √(1/n₁ + 1/n₂), and never less than FLAT points. POST_SD is the pooled
# within-page standard deviation of a post's overall, 14.2, measured on a generated region
# (benchmarks/make_region.py, 300 pages, 3,000 posts). Three posts a week against three: ±11.6.
FLAT = 2.0
POST_SD = 14.2
# Problems whose absence is worth a streak even when the page never had them.
WATCHED = ("kantselyarit", "long_sentences", "personal_data", "profanity")
Week = Mapping[str, Any]


def monday(week: Week) -> date | None:
    """Return the Monday of a WEEK record (from `start`, else from its ISO `week` label)."""
    start = week.get("start")
    if isinstance(start, str) and start:
        try:
            return date.fromisoformat(start[:10])
        except ValueError:
            pass
    try:
        return datetime.strptime(str(week.get("week")) + "-1", "%G-W%V-%u").date()
    except ValueError:
        return None


def week_ru(week: Week) -> str:
    """Return a week for people: «10.11–16.11» (the ISO label when the date is unknown)."""
    mon = monday(week)
    if mon is None:
        return str(week.get("week") or "")
    return f"{mon:%d.%m}–{mon + timedelta(days=6):%d.%m}"


def _consecutive(a: Week, b: Week) -> bool:
    """Return whether week `b` follows week `a` directly."""
    da, db = monday(a), monday(b)
    return da is not None and db is not None and (db - da).days == 7


def _score(week: Week, axis: str) -> float | None:
    v = (week.get("scores") or {}).get(axis)
    return None if v is None else float(v)


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(b - a, 1)


def streak(weeks: Sequence[Week], ok: Any) -> int:
    """Return how many of the latest weeks in a row (consecutive ISO weeks) satisfy `ok`."""
    n = 0
    for i in range(len(weeks) - 1, -1, -1):
        if not ok(weeks[i]) or (i < len(weeks) - 1 and not _consecutive(weeks[i], weeks[i + 1])):
            break
        n += 1
    return n


def _with_text(week: Week) -> bool:
    """Return whether the week had posts with text (a problem can only be absent from those)."""
    n = week.get("posts_with_text")
    return bool(week.get("posts")) if n is None else n > 0


def _at_norm(week: Week, norm: float | None) -> bool | None:
    """Return whether the week met the posting norm: the store's `meets_norm` when it kept one,
    else posts against `norm`; None when neither is known."""
    for key in ("meets_norm", "at_norm"):
        if week.get(key) is not None:
            return bool(week[key])
    if week.get("below_norm") is not None:
        return not week["below_norm"]
    norm = week.get("norm_per_week") or norm
    if norm is None:
        return None
    return (week.get("posts") or 0) >= norm


def streaks(weeks: Sequence[Week], norm_per_week: float | None = None) -> dict[str, Any]:
    """Return the streaks ending at the latest week: at the posting norm, without blocked posts,
    without each problem (watched codes and every code the page ever had)."""
    if not weeks:
        return {"norm": None, "norm_per_week": norm_per_week, "no_blocked": 0, "without": {}}
    known = _at_norm(weeks[-1], norm_per_week) is not None
    at_norm = streak(weeks, lambda w: bool(_at_norm(w, norm_per_week))) if known else None
    norm_per_week = weeks[-1].get("norm_per_week") or norm_per_week
    no_blocked = streak(weeks, lambda w: bool(w.get("posts")) and not w.get("blocked"))
    codes = dict.fromkeys(WATCHED)
    for w in weeks:
        codes.update(dict.fromkeys(c for c, k in (w.get("problems") or {}).items() if k))
    without = {}
    for code in codes:
        n = streak(weeks, lambda w, c=code: _with_text(w) and not (w.get("problems") or {}).get(c))
        if n:
            earlier = weeks[: len(weeks) - n]
            without[code] = {"weeks": n, "had_before": any(
                (w.get("problems") or {}).get(code) for w in earlier)}
    return {"norm": at_norm, "norm_per_week": norm_per_week, "no_blocked": no_blocked,
            "without": without}


def problems_change(prev: Week | None, last: Week) -> tuple[list[dict[str, Any]],
                                                             list[dict[str, Any]]]:
    """Return (problems gone since the previous week, problems that appeared), largest first.

    A problem is only «gone» when the latest week had posts with text to show it in.
    """
    if prev is None:
        return [], []
    before = {c: k for c, k in (prev.get("problems") or {}).items() if k}
    now = {c: k for c, k in (last.get("problems") or {}).items() if k}
    gone = [{"code": c, "before": k} for c, k in before.items() if c not in now] \
        if _with_text(last) else []
    new = [{"code": c, "now": k} for c, k in now.items() if c not in before]
    return (sorted(gone, key=lambda g: (-g["before"], g["code"])),
            sorted(new, key=lambda g: (-g["now"], g["code"])))


def rank_change(prev: Week | None, last: Week, first: Week | None = None) -> dict[str, Any]:
    """Return the latest ranks, places gained since the previous and the first week (positive:
    moved up) and the share of same-type pages this page is ahead of."""
    rank = dict(last.get("rank") or {})
    out: dict[str, Any] = {k: rank.get(k) for k in ("region", "region_of", "type", "type_of")}
    for key, base in (("", prev), ("_first", first)):
        old = (base or {}).get("rank") or {}
        for scope in ("region", "type"):
            a, b = old.get(scope), rank.get(scope)
            out[f"{scope}_change{key}"] = None if a is None or b is None else a - b
    n, of = rank.get("type"), rank.get("type_of")
    out["ahead_of_type"] = round((of - n) / (of - 1), 3) if n and of and of > 1 else None
    return out


def noise_band(a: Week, b: Week) -> float:
    """Return the smallest change of overall between two weeks that is not called flat."""
    na, nb = a.get("posts") or 0, b.get("posts") or 0
    if na <= 0 or nb <= 0:
        return FLAT
    return round(max(FLAT, POST_SD * (1 / na + 1 / nb) ** 0.5), 1)


def trend(weeks: Sequence[Week]) -> dict[str, Any]:
    """Return the overall trend of the latest week: «up», «down» or «flat» with a label.

    A change within `noise_band` is flat. Up: «стало лучше после недели …» names the low point
    the current rise started from.
    Down after an earlier rise: «снова хуже»; down without one: «стало хуже».
    """
    rated = [w for w in weeks if _score(w, "overall") is not None]
    if len(rated) < 2:
        return {"trend": None, "label": None, "since": None, "from": None, "to": None}
    series = [_score(w, "overall") or 0.0 for w in rated]
    last, prev = series[-1], series[-2]
    band = noise_band(rated[-2], rated[-1])
    if last - prev >= band:
        j = len(series) - 1
        while j > 0 and series[j - 1] < series[j]:
            j -= 1
        low = rated[j]
        return {"trend": "up", "label": f"стало лучше после недели {week_ru(low)}",
                "since": low.get("week"), "from": series[j], "to": last}
    if prev - last >= band:
        rose = any(b - a >= noise_band(wa, wb) for a, b, wa, wb in zip(
            series[:-2], series[1:-1], rated[:-2], rated[1:-1], strict=True))
        return {"trend": "down", "label": "снова хуже" if rose else "стало хуже",
                "since": rated[-2].get("week"), "from": prev, "to": last}
    return {"trend": "flat", "label": "без заметных перемен", "since": rated[-2].get("week"),
            "from": prev, "to": last, "band": band}


def progress(weeks: Sequence[Week], norm_per_week: float | None = None) -> dict[str, Any]:
    """Return what changed over a page's weeks (oldest first): see the module docstring.

    `norm_per_week`: the page's posting norm (its category's minimum) for the norm streak; a
    week record's own `meets_norm` and `norm_per_week` win when the store keeps them.
    """
    weeks = sorted(weeks, key=lambda w: str(w.get("week")))
    if not weeks:
        return {"weeks": 0}
    last, first = weeks[-1], weeks[0]
    prev = weeks[-2] if len(weeks) > 1 else None
    gone, new = problems_change(prev, last)
    return {
        "weeks": len(weeks),
        "first_week": first.get("week"),
        "previous_week": None if prev is None else prev.get("week"),
        "last_week": last.get("week"),
        "consecutive": prev is not None and _consecutive(prev, last),
        "scores": {a: _score(last, a) for a in AXES_ALL},
        "change": {a: None if prev is None else _delta(_score(prev, a), _score(last, a))
                   for a in AXES_ALL},
        "change_first": {a: None if prev is None else _delta(_score(first, a), _score(last, a))
                         for a in AXES_ALL},
        "problems_gone": gone,
        "problems_new": new,
        "streaks": streaks(weeks, norm_per_week),
        "rank": rank_change(prev, last, first if prev is not None else None),
        "best_overall": max((s for w in weeks if (s := _score(w, "overall")) is not None),
                            default=None),
        **trend(weeks),
    }
