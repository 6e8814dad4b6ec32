"""Engagement of published posts: ER by views and subscribers, scored against the page's own
baseline and its peers' (same page type, similar audience), shrunk for small numbers.

`engagement_scores(posts)` scores a set of posts (a page's or a region's) in input order;
`engagement_by_page(posts)` sums them up per page (with the `reach_drop` flag);
`score_single(post)` scores one post against the prior for its audience size.

A figure resting on something the input did not give is marked for people and flagged for
machines: an audience inferred from views («оценка по просмотрам», `audience_source: "views"`),
views inferred from subscribers («оценка по подписчикам», `views_source: "subscribers"`), a
draft's expected engagement («оценка модели»); `estimated` and `estimate_note` sum it up.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.engagement.expected import BY_MODEL
from service.engagement.prior import Prior, load_prior, posterior, vs
from service.post_fields import as_dict, numbers, page_key, page_of, parse_time, week_of

OWN_WEIGHT = 0.4  # share of the page's own baseline in a post's score, when the page has history
PEER_STRENGTH = 3.0  # the prior counts as this many peer pages when a peer group is small
FEW_VIEWS = 200
NO_METRICS = "нет просмотров и реакций: вовлечённость считается только у опубликованных постов"
BY_VIEWS = "оценка по просмотрам"  # the audience was inferred from views
BY_SUBSCRIBERS = "оценка по подписчикам"  # views were inferred from subscribers
PARTLY_BY_SUBSCRIBERS = "частично оценка по подписчикам"  # some posts' views were inferred


@dataclass(slots=True)
class _Post:
    idx: int
    key: str
    ptype: str
    views: float
    hits: float  # likes + comments + reposts
    likes: int
    comments: int
    reposts: int
    subscribers: int | None
    estimated: bool  # views were estimated from subscribers
    time: datetime | None


def _pct(x: float | None, digits: int = 2) -> float | None:
    return None if x is None else round(100 * x, digits)


def _ru(x: float) -> str:
    return f"{100 * x:.1f}".replace(".", ",") + " %"


def _people(audience: float) -> str:
    """Return an audience size for people: «около 51 500 человек»."""
    size = f"{round(audience, -1 if audience < 1000 else -2):,.0f}".replace(",", " ")
    return f"около {size} человек"


def _mark(note: str | None) -> str:
    return f" ({note})" if note else ""


def estimate_note(eng: dict[str, Any] | None) -> str | None:
    """Return what a shown engagement figure is estimated by («оценка по просмотрам» …), or None.

    None when everything it rests on was given (views, reactions and subscribers).
    """
    if not eng or eng.get("score") is None:
        return None
    if eng.get("kind") == "expected":
        return BY_MODEL
    if eng.get("audience_source") == "views":
        return BY_VIEWS
    return {"subscribers": BY_SUBSCRIBERS, "mixed": PARTLY_BY_SUBSCRIBERS}.get(
        str(eng.get("views_source")))


def _sources(audience: float, by_views: bool, views_source: str) -> dict[str, Any]:
    """Return the machine-readable flags of what a measured engagement rests on."""
    shown = round(audience, -1 if audience < 1000 else -2) if by_views else audience
    out: dict[str, Any] = {
        "audience": round(shown), "audience_source": "views" if by_views else "subscribers",
        "views_source": views_source, "estimated": by_views or views_source != "given"}
    out["estimate_note"] = estimate_note({"score": 0, **out})
    return out


def _prepare(i: int, post: dict[str, Any], prior: Prior) -> _Post | None:
    n = numbers(post)
    if n.likes is None and n.comments is None and n.reposts is None:
        return None
    estimated = not n.views
    if n.views:
        views = float(n.views)
    elif n.subscribers:
        views = n.subscribers * prior.reach(n.subscribers)
    else:
        return None
    lk, cm, rp = n.likes or 0, n.comments or 0, n.reposts or 0
    return _Post(i, page_key(post), str(page_of(post).get("type") or ""), views,
                 float(min(lk + cm + rp, views)), lk, cm, rp, n.subscribers, estimated,
                 parse_time(post.get("published_at")))


def _rates(p: _Post) -> dict[str, Any]:
    return {
        "er_views": None if p.estimated else _pct(p.hits / p.views),
        "er_subscribers": _pct(p.hits / p.subscribers) if p.subscribers else None,
        "likes_rate": None if p.estimated else _pct(p.likes / p.views),
        "comments_rate": None if p.estimated else _pct(p.comments / p.views),
        "reposts_rate": None if p.estimated else _pct(p.reposts / p.views),
    }


def analyse(posts: list[Any]) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Return per-post engagement (input order) and per-page summaries keyed by page key."""
    prior = load_prior()
    dicts = [as_dict(p) for p in posts]
    items = [_prepare(i, d, prior) for i, d in enumerate(dicts)]
    by_page: dict[str, list[_Post]] = defaultdict(list)
    for it in items:
        if it is not None:
            by_page[it.key].append(it)

    pages: dict[str, dict[str, Any]] = {}
    for key, ps in by_page.items():
        subs = max((p.subscribers or 0 for p in ps), default=0)
        audience = subs or prior.audience_from_views(statistics.median(p.views for p in ps))
        m0 = prior.er_views(audience)
        hits, views = sum(p.hits for p in ps), sum(p.views for p in ps)
        rate = (hits + prior.kappa * m0) / (views + prior.kappa)
        group = (ps[0].ptype, round(2 * math.log10(max(audience, 1))))
        pages[key] = {"m0": m0, "rate": rate, "group": group, "hits": hits, "views": views,
                      "subs": subs or None, "n": len(ps), "audience": audience,
                      "by_views": not subs, "inferred": sum(1 for p in ps if p.estimated),
                      "flags": {}}
    groups: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for pg in pages.values():
        g = groups[pg["group"]]
        g[0] += math.log(pg["rate"])
        g[1] += 1
    for pg in pages.values():  # peers' baseline, leaving the page itself out
        s, n = groups[pg["group"]]
        s -= math.log(pg["rate"])
        pg["peer"] = math.exp((s + PEER_STRENGTH * math.log(pg["m0"])) / (n - 1 + PEER_STRENGTH))

    drops = {key: reach_drop(ps) for key, ps in by_page.items()}
    out: list[dict[str, Any]] = []
    for d, it in zip(dicts, items, strict=True):
        base = {"id": None if d.get("id") is None else str(d["id"]), "page_id": page_key(d)}
        if it is None:
            out.append({**base, "score": None, "reach_drop": False, "reason": NO_METRICS})
            continue
        out.append({**base, **_score_post(it, pages[it.key], prior, drops[it.key] is not None)})
    summaries = {key: _page_summary(key, ps, pages[key], prior, drops[key])
                 for key, ps in by_page.items()}
    return out, summaries


def _score_post(p: _Post, pg: dict[str, Any], prior: Prior, dropped: bool) -> dict[str, Any]:
    other = pg["n"] - 1
    own = (pg["hits"] - p.hits + prior.kappa * pg["peer"]) / (pg["views"] - p.views + prior.kappa)
    mu, lower = posterior(p.hits, p.views, own, prior.kappa)
    peers_score = vs(lower, pg["peer"], prior.sigma)
    own_score = vs(mu, own, prior.sigma_within)
    w = OWN_WEIGHT * other / (other + 3)
    score = (1 - w) * peers_score + w * own_score
    views_note = BY_SUBSCRIBERS if p.estimated else None
    others_inferred = pg["inferred"] - p.estimated  # the page's baseline rests on their views
    own_note = None if not others_inferred else \
        BY_SUBSCRIBERS if others_inferred == other else PARTLY_BY_SUBSCRIBERS
    views_source = "subscribers" if p.estimated else "mixed" if own_note else "given"
    peers = (f"у похожих страниц с аудиторией {_people(pg['audience'])} ({BY_VIEWS}) обычно"
             if pg["by_views"] else "у похожих страниц обычно")
    reason = [f"ER по просмотрам {_ru(p.hits / p.views)}" if not p.estimated else
              "просмотров нет, охват оценён по числу подписчиков",
              f"с поправкой на малые числа {_ru(mu)}{_mark(views_note)}",
              f"{peers} {_ru(pg['peer'])}"]
    if other:
        reason.append(f"обычно у этой страницы {_ru(own)}{_mark(own_note)}")
    if p.views < FEW_VIEWS:
        reason.append("просмотров мало, поэтому оценка осторожная")
    if dropped:
        reason.append("внимание: ER страницы вырос из-за падения охвата, а не роста интереса")
    return {"score": round(score, 1), "kind": "measured", **_rates(p),
            "estimate": _pct(mu), "baseline_page": _pct(own) if other else None,
            "baseline_peers": _pct(pg["peer"]), "score_vs_peers": round(peers_score, 1),
            "score_vs_page": round(own_score, 1) if other else None, "reach_drop": dropped,
            **_page_flags(pg, views_source),
            "reason": "; ".join(reason)}


def _page_flags(pg: dict[str, Any], views_source: str) -> dict[str, Any]:
    """Return the flags of a page's post (built once per page and views source)."""
    cache = pg["flags"]
    if views_source not in cache:
        cache[views_source] = _sources(pg["audience"], pg["by_views"], views_source)
    return cache[views_source]


def _page_summary(key: str, ps: list[_Post], pg: dict[str, Any], prior: Prior,
                  drop: str | None) -> dict[str, Any]:
    mu, lower = posterior(pg["hits"], pg["views"], pg["peer"], prior.kappa)
    score = vs(lower, pg["peer"], prior.sigma)
    weekly: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for p in ps:
        if p.time is not None:
            w = weekly[week_of(p.time)]
            w[0] += 1
            w[1] += p.views
            w[2] += p.hits
    subs = pg["subs"]
    inferred = pg["inferred"]
    views_source = "given" if not inferred else "subscribers" if inferred == len(ps) else "mixed"
    flags = _sources(pg["audience"], pg["by_views"], views_source)
    views_note = _mark(estimate_note({"score": 0, "views_source": views_source}))
    peers = (f"у похожих страниц с аудиторией {_people(pg['audience'])} ({BY_VIEWS})"
             if pg["by_views"] else "у похожих страниц")
    return {
        "page_id": key, "score": round(score, 1), "posts_with_metrics": len(ps),
        "views_per_post": round(statistics.median(p.views for p in ps)),
        "er_views": _pct(pg["hits"] / pg["views"]), "estimate": _pct(mu),
        "er_subscribers": _pct(pg["hits"] / len(ps) / subs) if subs else None,
        "baseline_peers": _pct(pg["peer"]), "reach_drop": drop is not None,
        "reach_drop_detail": drop, **flags,
        "weekly": [{"week": k, "posts": int(v[0]), "views": round(v[1]), "interactions": round(v[2]),
                    "er_views": _pct(v[2] / v[1]) if v[1] else None}
                   for k, v in sorted(weekly.items())],
        "reason": (f"ER по просмотрам {_ru(pg['hits'] / pg['views'])}{views_note} за {len(ps)} "
                   f"пост(ов), {peers} {_ru(pg['peer'])}"),
    }


def reach_drop(ps: list[Any]) -> str | None:
    """Return why a page's ER rose only because its views fell (later half vs earlier), or None."""
    timed = sorted((p for p in ps if p.time is not None and not p.estimated),
                   key=lambda p: p.time)
    if len(timed) < 4 or timed[0].time.date() == timed[-1].time.date():
        return None
    half = len(timed) // 2
    early, late = timed[:half], timed[-half:]

    def stats(part: list[_Post]) -> tuple[float, float, float]:
        v = sum(p.views for p in part)
        return sum(p.hits for p in part) / v, statistics.median(p.views for p in part), \
            sum(p.hits for p in part) / len(part)

    er0, v0, h0 = stats(early)
    er1, v1, h1 = stats(late)
    if er1 >= 1.2 * er0 and v1 <= 0.7 * v0 and h1 <= 1.1 * h0:
        return (f"ER вырос с {_ru(er0)} до {_ru(er1)}, но просмотров на пост стало меньше на "
                f"{round(100 * (1 - v1 / v0))} %, а реакций не прибавилось: упал охват, "
                "а не вырос интерес")
    return None


def engagement_scores(posts: list[Any]) -> list[dict[str, Any]]:
    """Return a 0–100 engagement score per post of a set (input order), with its reasons."""
    return analyse(posts)[0]


def engagement_by_page(posts: list[Any]) -> dict[str, dict[str, Any]]:
    """Return per-page engagement summaries (score, ER, weekly, reach_drop) keyed by page key."""
    return analyse(posts)[1]


def score_single(post: Any) -> dict[str, Any] | None:
    """Return the engagement of one published post against the prior, None without metrics."""
    prior = load_prior()
    it = _prepare(0, as_dict(post), prior)
    if it is None:
        return None
    audience = it.subscribers or prior.audience_from_views(it.views)
    m = prior.er_views(audience)
    mu, lower = posterior(it.hits, it.views, m, prior.kappa)
    score = vs(lower, m, prior.sigma)
    flags = _sources(audience, not it.subscribers, "subscribers" if it.estimated else "given")
    views_note = BY_SUBSCRIBERS if it.estimated else None
    reason = [f"ER по просмотрам {_ru(it.hits / it.views)}" if not it.estimated else
              "просмотров нет, охват оценён по числу подписчиков",
              f"с поправкой на малые числа {_ru(mu)}{_mark(views_note)}",
              f"обычно у страниц с аудиторией {_people(audience)}"
              f"{_mark(None if it.subscribers else BY_VIEWS)} — {_ru(m)}"]
    if it.views < FEW_VIEWS:
        reason.append("просмотров мало, поэтому оценка осторожная")
    return {"score": round(score, 1), "kind": "measured", **_rates(it), "estimate": _pct(mu),
            "baseline_peers": _pct(m), **flags, "reason": "; ".join(reason)}
