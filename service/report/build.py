"""Page and region reports over scored posts (scorer output joined with metrics, page, date)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from statistics import median
from typing import Any

from service.activity import duplicate_share
from service.engagement import engagement_by_page
from service.post_fields import page_key
from service.report import advice
from service.report.activity_view import Period, activity_of, region_period
from service.report.collect import UNKNOWN_PAGE, overall
from service.report.labels import AXES, AXES_ALL, AXIS_RU, category_ru, page_type_ru
from service.report.posts import (
    GOOD_POST_FLOOR,
    NO_DATE,
    axis_means,
    best_and_worst,
    er_figures,
    good_post_min,
    mean,
    problems,
    rubric_mix,
    week_of,
    when,
)

WEAK_AXIS = 40.0  # an axis below this is named among a weak page's reasons
# The page's engagement summary keys a report shows, with the flags of what was inferred.
ENGAGEMENT_FIGURES = ("er_views", "er_subscribers", "estimate", "baseline_peers", "reach_drop",
                      "reach_drop_detail", "audience", "audience_source", "views_source",
                      "estimated", "estimate_note", "reason")
BINS = 10


def page_info(page: Mapping[str, Any] | None, posts: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the page's metadata, filled from its posts when the page record lacks it."""
    info: dict[str, Any] = dict(page or {})
    for p in posts:
        if not info.get("platform") and p.get("platform"):
            info["platform"] = p["platform"]
        src = p.get("page")
        for k, v in (src.items() if isinstance(src, dict) else ()):
            if info.get(k) in (None, "") and v not in (None, ""):
                info[k] = v
    info.setdefault("id", page_key({"page": info}) if info else UNKNOWN_PAGE)
    if info.get("id") in (None, ""):
        info["id"] = UNKNOWN_PAGE
    info["id"] = str(info["id"])
    info.setdefault("name", None)
    info["name"] = info.get("name") or info["id"]
    info["type_ru"] = page_type_ru(info.get("type"))
    info["category_ru"] = category_ru(info.get("category"))
    return info


def _weeks(ok: list[dict[str, Any]], activity: dict[str, Any],
           page_scores: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the four axes and overall week by week (activity from the page's weekly view).

    A single week shows the page's own engagement (shrunk over all its posts), so the week
    and the page agree; over several weeks engagement is the mean of the posts' scores.
    """
    by_week: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in ok:
        by_week[week_of(p)].append(p)
    act_weeks = {w["week"]: w for w in activity.get("weeks") or []}
    rows = []
    for wk in sorted(set(by_week) | set(act_weeks), key=lambda w: (w == NO_DATE, w)):
        posts = by_week.get(wk, [])
        means = axis_means(posts)
        means["activity"] = (act_weeks.get(wk) or {}).get("score")
        if len(by_week) == 1 and posts:
            means["engagement"] = page_scores.get("engagement")
        means["overall"] = overall({k: means[k] for k in AXES})
        rows.append({"week": wk, "posts": len(posts), **means})
    return rows


def page_report(scored_posts: Iterable[dict[str, Any]], page: Mapping[str, Any] | None = None,
                norms: Any = None, *, period: Period | None = None,
                duplicate: float | None = None,
                engagement: Mapping[str, Any] | None = None,
                good_post: float = GOOD_POST_FLOOR) -> dict[str, Any]:
    """Return the page report: axes by week, strengths, problems, best/worst posts, next steps.

    A region report passes the region's `period`, the page's `duplicate` share, its
    `engagement` summary (service.engagement) and the overall a post needs to count among the
    best (`good_post`, service.report.posts.good_post_min); alone, the page is judged on its
    own posts.
    """
    posts = list(scored_posts)
    ok = [p for p in posts if not p.get("error")]
    info = page_info(page, ok)
    published = [p for p in posts if not p.get("error") or when(p)]  # unscorable posts count
    activity = activity_of(published, info, norms, period, duplicate)
    if engagement is None and ok:
        engagement = engagement_by_page(ok).get(page_key(ok[0]))
    scores = axis_means(ok)
    if engagement and engagement.get("score") is not None:
        scores["engagement"] = engagement["score"]
    scores["activity"] = activity.get("score")
    scores["overall"] = overall({k: scores[k] for k in AXES})
    figures = er_figures(ok, info.get("subscribers"))
    if engagement:
        figures.update({k: engagement.get(k) for k in ENGAGEMENT_FIGURES})
    best, worst = best_and_worst(ok, good=good_post)
    dated = [t for t in (when(p) for p in ok) if t is not None]
    report: dict[str, Any] = {
        "page": info,
        "period": {"start": min(dated).isoformat() if dated else None,
                   "end": max(dated).isoformat() if dated else None},
        "posts": len(ok),
        "errors": len(posts) - len(ok),
        "blocked_posts": sum(1 for p in ok if (p.get("moderation") or {}).get("blocked")),
        "scores": scores,
        "engagement_figures": figures,
        "activity": activity,
        "rubrics": rubric_mix(ok),
        "weeks": _weeks(ok, activity, scores),
        "problems": problems(ok),
        "best_posts": best,
        "worst_posts": worst,
        "good_post_min": good_post,
    }
    report["strengths"] = advice.strengths(report)
    report["next_week"] = advice.next_week(report)
    return report


def _pages_by_id(pages: Iterable[Mapping[str, Any]] | Mapping[str, Any] | None) -> dict[str, dict]:
    """Return page records keyed by page id."""
    if pages is None:
        return {}
    if isinstance(pages, Mapping):
        return {str(k): dict(v) for k, v in pages.items()}
    return {str(p.get("id") or p.get("name")): dict(p) for p in pages}


def _ranks(rows: list[dict[str, Any]], axis: str) -> dict[str, int]:
    """Return 1-based ranks of pages by an axis, best first (pages without a score last)."""
    ordered = sorted(rows, key=lambda r: (r["scores"].get(axis) is None,
                                          -(r["scores"].get(axis) or 0.0), r["page"]["id"]))
    return {r["page"]["id"]: i for i, r in enumerate(ordered, 1)}


def _quantile(values: list[float], q: float) -> float | None:
    """Return the q-quantile (linear interpolation) of the values, or None."""
    vals = sorted(values)
    if not vals:
        return None
    pos = q * (len(vals) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(vals) - 1)
    return round(vals[lo] + (vals[hi] - vals[lo]) * (pos - lo), 1)


def distribution(values: list[float | None]) -> dict[str, Any]:
    """Return a 10-point histogram and quantiles of 0–100 scores."""
    vals = [v for v in values if v is not None]
    counts = [0] * BINS
    for v in vals:
        counts[min(int(v // (100 / BINS)), BINS - 1)] += 1
    return {"n": len(vals), "bins": counts, "mean": mean(list(vals)),
            "p10": _quantile(vals, 0.1), "p50": _quantile(vals, 0.5), "p90": _quantile(vals, 0.9)}


def _weak_reasons(r: dict[str, Any], p10: float | None) -> list[str]:
    """Return why a page needs a trainer (empty when it does not)."""
    reasons = []
    act = r["activity"]
    if r["posts"] == 0:
        reasons.append("нет постов за период")
    elif act.get("below_norm"):
        reasons.append(f"постов меньше нормы: {act.get('posts_per_week', 0):.0f} в неделю "
                       f"при норме от {act.get('norm_per_week', 0):.0f}")
    ov = r["scores"].get("overall")
    if r["posts"] and ov is not None and p10 is not None and ov <= p10:
        reasons.append("в нижних 10% региона по итоговой оценке")
    if r["blocked_posts"]:
        reasons.append(f"посты с нарушениями: {r['blocked_posts']}")
    if (r.get("engagement_figures") or {}).get("reach_drop"):
        reasons.append("ER растёт из-за падения охвата")
    for axis in AXES:
        v = r["scores"].get(axis)
        if v is not None and v < WEAK_AXIS and axis != "activity":
            reasons.append(f"низкая {AXIS_RU[axis].lower()}: {v:.0f}")
    return reasons


def _group(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Return per-group (page type or category) comparisons of the pages."""
    groups: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[str(r["page"].get(key) or "—")].append(r)
    out = []
    for name, rs in groups.items():
        ppw = [r["activity"].get("posts_per_week") or 0.0 for r in rs]
        out.append({
            key: name,
            "label": page_type_ru(name) if key == "type" else category_ru(name),
            "pages": len(rs),
            "posts": sum(r["posts"] for r in rs),
            "weak_pages": sum(1 for r in rs if r["weak"]),
            "weak_share": round(sum(1 for r in rs if r["weak"]) / len(rs), 3),
            "posts_per_week_median": round(median(ppw), 1),
            "scores": {a: mean([r["scores"].get(a) for r in rs]) for a in AXES_ALL},
        })
    return sorted(out, key=lambda g: -g["pages"])


def region_report(scored_posts: Iterable[dict[str, Any]],
                  pages: Iterable[Mapping[str, Any]] | Mapping[str, Any] | None = None,
                  norms: Mapping[str, Any] | None = None, *,
                  engagement: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the region report: pages ranked (weak first), distributions, comparisons by type.

    `engagement`: per-page summaries already computed over the same posts (saves a second pass).
    """
    posts = list(scored_posts)
    known = _pages_by_id(pages)
    grouped: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in posts:
        if p.get("error") and not p.get("page"):
            continue  # an unreadable line belongs to no page
        grouped[page_key(p)].append(p)
    ok = [p for p in posts if not p.get("error")]
    period = region_period(posts)
    dups = duplicate_share(dict(grouped))
    eng = engagement if engagement is not None else engagement_by_page(ok) if ok else {}
    post_overall = [(p.get("scores") or {}).get("overall") for p in ok]
    good = good_post_min(_quantile([v for v in post_overall if v is not None], 0.75))
    rows = [page_report(grouped.get(pid, []), known.get(pid) or {"id": pid}, norms,
                        period=period, duplicate=dups.get(pid), engagement=eng.get(pid),
                        good_post=good)
            for pid in dict.fromkeys([*known, *grouped])]
    overall_vals = [r["scores"]["overall"] for r in rows
                    if r["posts"] and r["scores"].get("overall") is not None]
    p10 = _quantile(overall_vals, 0.1)
    ranks = {axis: _ranks(rows, axis) for axis in AXES_ALL}
    for r in rows:
        pid = r["page"]["id"]
        r["ranks"] = {axis: ranks[axis][pid] for axis in AXES_ALL}
        ov = r["scores"].get("overall")
        r["bottom_decile"] = bool(r["posts"] and ov is not None and p10 is not None and ov <= p10)
        r["below_norm"] = bool(r["posts"] == 0 or r["activity"].get("below_norm"))
        r["weak_reasons"] = _weak_reasons(r, p10)
        r["weak"] = r["bottom_decile"] or r["below_norm"] or bool(r["blocked_posts"])
    # Weak pages with posts first (weakest on top), then silent pages, then the rest by rank.
    rows.sort(key=lambda r: (0 if r["weak"] and r["posts"] else 1 if r["weak"] else 2,
                             r["ranks"]["overall"] * (-1 if r["weak"] else 1)))
    dated = [t for t in (when(p) for p in ok) if t is not None]
    weeks: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in ok:
        weeks[week_of(p)].append(p)
    return {
        "summary": {
            "pages": len(rows),
            "pages_with_posts": sum(1 for r in rows if r["posts"]),
            "weak_pages": sum(1 for r in rows if r["weak"]),
            "posts": len(ok),
            "errors": len(posts) - len(ok),
            "blocked_posts": sum(r["blocked_posts"] for r in rows),
            "period": {"start": min(dated).isoformat() if dated else None,
                       "end": max(dated).isoformat() if dated else None},
            "scores": {a: mean([r["scores"].get(a) for r in rows]) for a in AXES_ALL},
            "overall_p10": p10,
            "good_post_min": good,
        },
        "weeks": [{"week": w, "posts": len(ps), **axis_means(ps)}
                  for w, ps in sorted(weeks.items(), key=lambda kv: (kv[0] == NO_DATE, kv[0]))],
        "distributions": {a: distribution([r["scores"].get(a) for r in rows]) for a in AXES_ALL},
        "post_distribution": distribution(post_overall),
        "by_type": _group(rows, "type"),
        "by_category": _group(rows, "category"),
        "problems": problems(ok, top=8, examples=1),
        "errors_sample": [{"id": p.get("id"), "line": p.get("line"), "error": p.get("error")}
                          for p in posts if p.get("error")][:20],
        "pages": rows,
    }
