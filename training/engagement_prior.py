"""Fit the engagement prior (how ER falls with audience size) on the NGO VK page statistics.

    python -m training.engagement_prior [--shared ../shared/data] [--out models/engagement]

Writes prior.json, meta.json and MODEL_CARD.md. Source: Teplitsa/CSRLab, Apache-2.0.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import platform
from pathlib import Path
from typing import Any

import numpy as np

from training.model_card import git_revision

REPO = Path(__file__).resolve().parent.parent
FILE = "engagement/ngo_vk_pages_engagement.csv"
FORMAT_VERSION = 1
# The source's repost column is a copy of its likes column (equal in all 3,165 rows), so the
# prior counts likes + comments; reposts are added as a share of them (VK community pages
# usually get about one repost per ten reactions). An assumption, stated in the card.
REPOST_FACTOR = 1.10
# Spread of one post's ER around its own page's baseline (log scale). No post-level public
# data exists to fit it; 0.6 means two posts in three lie within ×0.55…×1.8 of the baseline.
SIGMA_WITHIN = 0.6


def load(path: Path) -> np.ndarray:
    """Return rows (members, views, likes, comments, posts) of usable, de-duplicated pages."""
    seen: set[tuple[str, ...]] = set()
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            key = (r["likes_overall_all"], r["views_overall_all"], r["count_posts_all"],
                   r["comments_overall_all"])
            if key in seen:  # some pages carry another page's statistics (scraper slip)
                continue
            seen.add(key)
            try:
                row = [float(r[c]) for c in ("count_members", "views_mean_all", "likes_mean_all",
                                             "comments_mean_all", "count_posts_all")]
            except ValueError:
                continue
            m, v, lk, c, n = row
            if m >= 10 and v > 0 and n >= 5 and 0 < lk + c < v:
                out.append(row)
    return np.array(out)


def fit_line(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Return intercept, slope and residual sd of y on x (least squares)."""
    slope, intercept = np.polyfit(x, y, 1)
    sigma = float(np.std(y - (intercept + slope * x)))
    return float(intercept), float(slope), sigma


def cv_mae(x: np.ndarray, y: np.ndarray, folds: int = 5, seed: int = 0) -> tuple[float, float]:
    """Return the cross-validated MAE of the line and of a constant (the median)."""
    idx = np.random.default_rng(seed).permutation(len(x))
    line, const = [], []
    for k in range(folds):
        test = idx[k::folds]
        train = np.setdiff1d(idx, test)
        a, b, _ = fit_line(x[train], y[train])
        line.append(np.abs(y[test] - (a + b * x[test])).mean())
        const.append(np.abs(y[test] - np.median(y[train])).mean())
    return float(np.mean(line)), float(np.mean(const))


def fit(data: np.ndarray) -> dict[str, Any]:
    """Return the prior: ER-by-views and reach lines over log10(subscribers), and bins."""
    m, v, lk, c, _ = data.T
    x = np.log10(m)
    y_er = np.log((lk + c) / v)
    y_reach = np.log(v / m)
    a, b, s = fit_line(x, y_er)
    ra, rb, rs = fit_line(x, y_reach)
    med = math.exp(a + b * float(np.median(x)))
    # Beta prior of ER by views whose relative spread matches the spread between pages:
    # var/mean^2 = (1-m)/(m(kappa+1)) ~= sigma^2.
    kappa = (1 - med) / (med * s * s) - 1
    bins = []
    for lo in range(1, 7):
        sel = (x >= lo) & (x < lo + 1)
        if sel.sum() >= 10:
            er = (lk + c)[sel] / v[sel]
            bins.append({"subscribers_from": 10**lo, "subscribers_to": 10 ** (lo + 1),
                         "pages": int(sel.sum()),
                         "er_views_median_pct": round(float(np.median(er)) * 100, 2),
                         "er_views_q25_pct": round(float(np.percentile(er, 25)) * 100, 2),
                         "er_views_q75_pct": round(float(np.percentile(er, 75)) * 100, 2),
                         "reach_median": round(float(np.median(v[sel] / m[sel])), 3)})
    cv_line, cv_const = cv_mae(x, y_er)
    rcv_line, rcv_const = cv_mae(x, y_reach)
    return {
        "format_version": FORMAT_VERSION,
        "basis": "(likes + comments) / views, per page, VK",
        "er_views": {"intercept": round(a, 4), "slope": round(b, 4), "sigma": round(s, 4)},
        "reach": {"intercept": round(ra, 4), "slope": round(rb, 4), "sigma": round(rs, 4)},
        "kappa": round(kappa, 1),
        "repost_factor": REPOST_FACTOR,
        "sigma_within": SIGMA_WITHIN,
        "subscribers_range": [10, 1_000_000],
        "default_subscribers": int(np.median(m)),
        "pages": int(len(m)),
        "bins": bins,
        "cv": {"er_views_mae_log": round(cv_line, 3), "er_views_mae_log_constant": round(cv_const, 3),
               "reach_mae_log": round(rcv_line, 3), "reach_mae_log_constant": round(rcv_const, 3)},
    }


def content_prior() -> str:
    """Return the documented content prior for drafts as a Markdown section."""
    from service.engagement.expected import PRIOR

    rows = "\n".join(f"| {name} | {'+' if pts > 0 else '−'}{abs(pts)} | {msg} |"
                     for name, _, pts, msg in PRIOR)
    return f"""## Expected engagement of a draft: the content prior (not fitted: принято без данных)
Until a region trains a model on its own export (`gospablik train engagement --data EXPORT`,
card in `expected/MODEL_CARD.md`), a draft's expected engagement is 50 (a typical post) plus
these points, clipped to 5–95. They follow common practice of community pages (media, a
question to readers and a clear call to action raise reactions; night posts are not seen);
they are NOT fitted on data, and every such score says «априорная» in its reason.

| factor | points | what the reader is told |
|---|---|---|
{rows}"""


def card(prior: dict[str, Any], sha: str) -> str:
    """Return the model card of the prior (Markdown)."""
    er, rc, cv = prior["er_views"], prior["reach"], prior["cv"]
    rows = "\n".join(
        f"| {b['subscribers_from']:,}–{b['subscribers_to']:,} | {b['pages']} | "
        f"{b['er_views_median_pct']} ({b['er_views_q25_pct']}–{b['er_views_q75_pct']}) | "
        f"{b['reach_median']} |" for b in prior["bins"])
    return f"""# Engagement prior: how ER falls with audience size

Fitted by `python -m training.engagement_prior` (code revision {git_revision()}).

## Data
`ngo_vk_pages_engagement.csv` from github.com/Teplitsa/CSRLab (Civil Society Research Lab,
«Теплица социальных технологий»), Apache License 2.0: page-level VK statistics of Russian NGO
pages, December 2021. sha256 `{sha}`. Used: {prior['pages']} pages with ≥ 10 members, ≥ 5 posts
and views; rows repeating another row's statistics dropped. No post texts are used or shipped.

The source's repost column equals its likes column in every row, so the prior counts
likes + comments per view; reposts are added as ×{prior['repost_factor']} (an assumption).

Every figure below is labelled: **на обучающих данных** — fitted or counted on all the pages
it describes; **перекрёстная проверка** — out of fold (5 folds of pages, nothing selected);
**принято без данных** — an assumption. The pages are real (NGOs, VK, 2021), but no figure is on
held-out government pages: none with engagement are public.

## The fit (x = log10 subscribers), на обучающих данных
- ln ER by views = {er['intercept']} + ({er['slope']}) · x, residual sd {er['sigma']}
  (ER by views falls ×{math.exp(er['slope']):.2f} per tenfold audience).
- ln (views per post / subscribers) = {rc['intercept']} + ({rc['slope']}) · x, sd {rc['sigma']};
  ER by subscribers = ER by views × reach.
- Beta prior strength κ = {prior['kappa']} views (matches the spread between pages).
- Post-to-baseline spread within a page: {prior['sigma_within']} (принято без данных: no public post data).

Pages per audience size (counts and medians of the {prior['pages']} pages, на обучающих данных):

| subscribers | pages | ER by views, median % (IQR) | views per post / subscribers |
|---|---|---|---|
{rows}

5-fold cross-validated MAE (перекрёстная проверка, folds of pages) of ln ER by views: {cv['er_views_mae_log']}
(constant median: {cv['er_views_mae_log_constant']}); of ln reach: {cv['reach_mae_log']} (constant: {cv['reach_mae_log_constant']}). Audience size explains reach
well and ER by views a little.

{content_prior()}

## Intended use
The baseline a post's engagement is compared with when no region data is at hand (a single
post), and the anchor that region baselines are shrunk to when a peer group is small.

## Limits
NGO pages, not government pages; 2021; VK only. Telegram and OK have other norms — a region's
own data (peer baselines in `engagement_scores`) outweighs this prior as soon as it exists.
Library versions: numpy {np.__version__}, Python {platform.python_version()}.
"""


def main(argv: list[str] | None = None) -> int:
    """Fit the prior and write it; return the exit code."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--shared", default=str(REPO.parent / "shared" / "data"))
    p.add_argument("--out", default=str(REPO / "models" / "engagement"))
    args = p.parse_args(argv)
    path = Path(args.shared) / FILE
    prior = fit(load(path))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "prior.json").write_text(json.dumps(prior, ensure_ascii=False, indent=1) + "\n")
    meta = {"name": "engagement-prior", "format_version": FORMAT_VERSION, "data_sha256": sha,
            "source": "github.com/Teplitsa/CSRLab (Apache-2.0)", "revision": git_revision()}
    (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    (out / "MODEL_CARD.md").write_text(card(prior, sha))
    print(json.dumps({k: prior[k] for k in ("er_views", "reach", "kappa", "pages", "cv")},
                     ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
