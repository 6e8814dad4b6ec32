"""Fit the readability model: pairwise logistic regression with non-negative weights.

Two signals, one pairwise loss: (1) a Wikipedia sentence is harder than its crowd-simplified
version (RuSimpleSentEval dev), (2) a post labelled with more officialese is harder than one
labelled with less (gosposts/train.jsonl). Hyper-parameters (rare-word threshold, L2) are chosen
by 5-fold cross-validation grouped by source sentence (posts split by post). The linear
difficulty is then mapped to 0–100 by a logistic anchored on the posts: the median plain post
(officialese 0) scores 75, the median heavy one (officialese 2) scores 22.

Usage: python -m training.train_readability [--shared PATH] [--out models/readability]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from scipy.stats import spearmanr

from service.readability import FEATURES, MODEL_FORMAT, feature_values
from training.classic_formulas import flesch_kincaid_ru
from training.model_card import git_revision
from training.readability_data import DEFAULT_SHARED, REPO, Calibration, load

FOLDS = 5
SEED = 20260
RARE_GRID = (2.0, 5.0, 10.0, 30.0)
ALPHA_GRID = (1e-4, 1e-3, 1e-2)
POST_WEIGHT = 2.0  # posts are what we score: their pairs weigh twice the sentence pairs
MAX_POST_PAIRS = 60_000
ANCHORS = {0: 75.0, 2: 22.0}  # officialese label -> score of its median post


def fit_pairwise(diffs: np.ndarray, weights: np.ndarray, alpha: float) -> np.ndarray:
    """Return w ≥ 0 minimising the mean weighted logistic loss of σ(diff·w) + α‖w‖²/2."""
    v = weights / weights.sum()

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = diffs @ w
        g = -(v * (1.0 - 1.0 / (1.0 + np.exp(-z)))) @ diffs
        return float(v @ np.logaddexp(0.0, -z)) + alpha * (w @ w) / 2, g + alpha * w

    x0 = np.full(diffs.shape[1], 0.1)
    res = minimize(loss, x0, jac=True, method="L-BFGS-B", bounds=[(0, None)] * diffs.shape[1])
    return res.x


def post_pairs(idx: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return (harder, easier) index pairs of posts with different labels (sampled if many)."""
    pairs = [(i, j) for i, j in itertools.permutations(idx, 2) if labels[i] > labels[j]]
    arr = np.array(pairs, dtype=int).reshape(-1, 2)
    if len(arr) > MAX_POST_PAIRS:
        arr = arr[rng.choice(len(arr), MAX_POST_PAIRS, replace=False)]
    return arr


def design(feats: np.ndarray, cal: Calibration, pair_idx: np.ndarray, posts: np.ndarray,
           labels: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Return pairwise differences (hard − easy) and their weights for the chosen data."""
    sp = np.array([cal.pairs[k][:2] for k in pair_idx], dtype=int).reshape(-1, 2)
    pp = post_pairs(posts, labels, rng)
    pp = np.column_stack([np.array(cal.posts)[pp[:, 0]], np.array(cal.posts)[pp[:, 1]]])
    diffs = np.vstack([feats[sp[:, 0]] - feats[sp[:, 1]], feats[pp[:, 0]] - feats[pp[:, 1]]])
    w = np.concatenate([np.full(len(sp), 1.0 / max(1, len(sp))),
                        np.full(len(pp), POST_WEIGHT / max(1, len(pp)))])
    return diffs, w


def pair_accuracy(d_hard: np.ndarray, d_easy: np.ndarray) -> float:
    """Return the share of pairs ranked right (hard more difficult); ties count one half."""
    return float(np.mean((d_hard > d_easy) + 0.5 * (d_hard == d_easy)))


def folds(cal: Calibration) -> tuple[np.ndarray, np.ndarray]:
    """Return the fold of each sentence pair (by source group) and of each post."""
    rng = np.random.default_rng(SEED)
    n_groups = max(g for _, _, g in cal.pairs) + 1
    group_fold = rng.permutation(n_groups) % FOLDS
    pair_fold = np.array([group_fold[g] for _, _, g in cal.pairs])
    post_fold = rng.permutation(len(cal.posts)) % FOLDS
    return pair_fold, post_fold


def cross_validate(cal: Calibration, feats: np.ndarray, c: float) -> dict:
    """Return out-of-fold difficulties of every text in a test fold, and the CV figures."""
    pair_fold, post_fold = folds(cal)
    labels = np.array(cal.labels)
    rng = np.random.default_rng(SEED)
    oof_pair = np.zeros((len(cal.pairs), 2))
    oof_post = np.zeros(len(cal.posts))
    for k in range(FOLDS):
        tr_posts = np.flatnonzero(post_fold != k)
        diffs, w = design(feats, cal, np.flatnonzero(pair_fold != k), tr_posts, labels, rng)
        coef = fit_pairwise(diffs, w, c)
        d = feats @ coef
        for i in np.flatnonzero(pair_fold == k):
            oof_pair[i] = d[cal.pairs[i][0]], d[cal.pairs[i][1]]
        te = np.flatnonzero(post_fold == k)
        oof_post[te] = d[np.array(cal.posts)[te]]
    in_fold = []
    for k in range(FOLDS):
        pp = post_pairs(np.flatnonzero(post_fold == k), labels, rng)
        in_fold.append(pair_accuracy(oof_post[pp[:, 0]], oof_post[pp[:, 1]]))
    rho = float(spearmanr(oof_post, labels).statistic)
    return {"pairs": pair_accuracy(oof_pair[:, 0], oof_pair[:, 1]), "spearman": rho,
            "post_pairs": float(np.mean(in_fold)), "oof_pair": oof_pair, "oof_post": oof_post}


def features(cal: Calibration, rare_ipm: float) -> tuple[np.ndarray, np.ndarray, list]:
    """Return the standardised feature matrix, the scales used, and the raw counts."""
    counts = cal.counts(rare_ipm)
    raw = np.array([feature_values(c) for c in counts])
    scale = raw.std(axis=0)
    scale[scale == 0] = 1.0
    return raw / scale, scale, counts


def select(cal: Calibration, log: list[str]) -> tuple[float, float]:
    """Return the (rare-word ipm, C) with the best cross-validated mean of both signals."""
    best: tuple[float, float, float] | None = None
    for rare in RARE_GRID:
        feats = features(cal, rare)[0]
        for c in ALPHA_GRID:
            cv = cross_validate(cal, feats, c)
            obj = (cv["pairs"] + cv["post_pairs"]) / 2
            log.append(f"rare<{rare:g} ipm, alpha={c:g}: sentence pairs {cv['pairs']:.3f}, "
                       f"post pairs {cv['post_pairs']:.3f}, Spearman {cv['spearman']:.3f}")
            print(log[-1], file=sys.stderr)
            if best is None or obj > best[0]:
                best = (obj, rare, c)
    assert best is not None
    return best[1], best[2]


def logit(p: float) -> float:
    """Return log(p / (1 − p))."""
    return math.log(p / (1 - p))


def fit_final(cal: Calibration, rare: float, c: float) -> dict:
    """Return the model JSON fitted on all data, anchored and with its grade mapping."""
    feats, scale, counts = features(cal, rare)
    labels = np.array(cal.labels)
    diffs, w = design(feats, cal, np.arange(len(cal.pairs)), np.arange(len(cal.posts)),
                      labels, np.random.default_rng(SEED))
    coef = fit_pairwise(diffs, w, c) / scale  # weights on raw features
    raw = feats * scale
    d_posts = raw[cal.posts] @ coef
    med = {k: float(np.median(d_posts[labels == k])) for k in ANCHORS}
    a = (logit(ANCHORS[0] / 100) - logit(ANCHORS[2] / 100)) / (med[2] - med[0])
    intercept = logit(ANCHORS[0] / 100) + a * med[0]
    fk = np.clip([flesch_kincaid_ru(counts[i]) for i in cal.posts], 1, 18)
    # linear equating on the posts (same mean and spread as the classic grade): a regression
    # would pull every post towards the mean grade
    slope = float(np.std(fk) / np.std(d_posts * a))
    g0 = float(np.mean(fk) - slope * np.mean(d_posts * a))
    plain = np.array(cal.posts)[labels == 0]
    return {
        "format_version": MODEL_FORMAT,
        "features": list(FEATURES),
        "weights": [round(float(x), 6) for x in coef * a],
        "intercept": round(float(intercept), 6),
        "grade": {"intercept": round(float(g0), 4), "slope": round(float(slope), 4),
                  "fitted_to": "linear equating to the Flesch–Kincaid grade (Оборнева) on the posts"},
        "reference": [round(float(x), 6) for x in np.median(raw[plain], axis=0)],
        "rare_ipm": rare,
        "l2_alpha": c,
    }


def main(argv: list[str] | None = None) -> None:
    """Select, fit and write models/readability/{weights.json,meta.json,MODEL_CARD.md}."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--out", type=Path, default=REPO / "models" / "readability")
    args = ap.parse_args(argv)
    cal = load(args.shared)
    log: list[str] = []
    rare, c = select(cal, log)
    model = fit_final(cal, rare, c)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "weights.json").write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n")
    from training.eval_readability import evaluate, write_card

    report = evaluate(cal, model)
    meta = {
        "format_version": MODEL_FORMAT, "name": "readability", "trained_at":
        datetime.now(UTC).isoformat(timespec="seconds"), "code_revision": git_revision(),
        "data": cal.hashes, "pairs_used": len(cal.pairs), "pairs_dropped": cal.dropped,
        "posts": len(cal.posts), "selection": log, "metrics": report["metrics"],
    }
    (args.out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n")
    write_card(args.out / "MODEL_CARD.md", cal, model, meta, report)
    print(report["table"])


if __name__ == "__main__":
    main()
