"""Evaluate the readability score against the classic Russian formulas on the same data.

Prints, for each measure: pairwise accuracy on the simplification pairs (the simplified sentence
must come out easier; a tie counts as one half), its ties, the accuracy on pairs of posts with
different officialese labels, and Spearman's ρ between difficulty and the posts' officialese
label (0–2; positive = agrees). «ours (CV)» is out-of-fold: 5 folds grouped by source sentence.

Usage: python -m training.eval_readability [--shared PATH] [--model models/readability]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import pymorphy3
import scipy
import sklearn
from scipy.stats import spearmanr

from service.readability import load_model, scan, score_counts
from training.classic_formulas import flesch_kincaid_ru, flesch_oborneva, smog_ru
from training.readability_data import DEFAULT_SHARED, REPO, Calibration, load
from training.train_readability import cross_validate, features, pair_accuracy, post_pairs

MEASURES = {
    "Flesch–Оборнева (ease)": lambda c: -flesch_oborneva(c),
    "Flesch–Kincaid ru (grade)": flesch_kincaid_ru,
    "SMOG ru, P = 4+ слогов": smog_ru,
    "SMOG ru, P = 5+ слогов": lambda c: smog_ru(c, 5),
}


def _row(name: str, d_text: np.ndarray, cal: Calibration) -> dict:
    """Return the figures of one difficulty measure given per text."""
    p = np.array([x[:2] for x in cal.pairs])
    hard, easy = d_text[p[:, 0]], d_text[p[:, 1]]
    d_posts = d_text[cal.posts]
    return _figures(name, hard, easy, d_posts, np.array(cal.labels))


def _figures(name: str, hard: np.ndarray, easy: np.ndarray, d_posts: np.ndarray,
             labels: np.ndarray) -> dict:
    """Return accuracy, ties, post-pair accuracy and Spearman of one measure."""
    pp = post_pairs(np.arange(len(labels)), labels, np.random.default_rng(0))
    return {
        "measure": name,
        "pair_accuracy": pair_accuracy(hard, easy),
        "ties": int(np.sum(hard == easy)),
        "post_pair_accuracy": pair_accuracy(d_posts[pp[:, 0]], d_posts[pp[:, 1]]),
        "spearman": float(spearmanr(d_posts, labels).statistic),
    }


def speed(cal: Calibration, model_dir: Path) -> dict:
    """Return µs per post of counting + scoring for posts of 900–1,100 characters."""
    model = load_model(model_dir / "weights.json")
    docs = [cal.docs[i] for i in cal.posts if 900 <= len(cal.docs[i][0].text) <= 1100]
    for doc, hits in docs:  # warm the caches
        scan(doc, hits, model.rare_ipm)
    times = []
    for doc, hits in docs * 10:
        t0 = time.perf_counter()
        counts, _ = scan(doc, hits, model.rare_ipm)
        score_counts(counts, model)
        times.append(time.perf_counter() - t0)
    times.sort()
    return {"posts": len(docs), "p50_us": round(times[len(times) // 2] * 1e6, 1),
            "p99_us": round(times[int(len(times) * 0.99)] * 1e6, 1)}


def evaluate(cal: Calibration, model_json: dict, model_dir: Path | None = None) -> dict:
    """Return the metrics of ours (CV and shipped) and of the classic formulas, with a table."""
    rare = model_json["rare_ipm"]
    feats = features(cal, rare)[0]
    cv = cross_validate(cal, feats, model_json["l2_alpha"])
    rows = [_figures("ours (CV, out-of-fold)", cv["oof_pair"][:, 0], cv["oof_pair"][:, 1],
                     cv["oof_post"], np.array(cal.labels))]
    counts = cal.counts(rare)
    model_dir = model_dir or REPO / "models" / "readability"
    model = load_model(model_dir / "weights.json")
    ours = np.array([-score_counts(c, model)[0] for c in counts])
    rows.append(_row("ours (shipped, in-sample)", ours, cal))
    for name, fn in MEASURES.items():
        rows.append(_row(name, np.array([fn(c) for c in counts]), cal))
    labels = np.array(cal.labels)
    by_label = {int(k): round(float(statistics.median(-ours[cal.posts][labels == k])), 1)
                for k in (0, 1, 2)}
    lines = [f"{'measure':30} {'pairs acc':>9} {'ties':>5} {'post pairs':>10} {'Spearman':>9}"]
    for r in rows:
        lines.append(f"{r['measure']:30} {r['pair_accuracy']:9.3f} {r['ties']:5d} "
                     f"{r['post_pair_accuracy']:10.3f} {r['spearman']:9.3f}")
    sp = speed(cal, model_dir)
    lines.append(f"pairs: {len(cal.pairs)} used, dropped {cal.dropped}; posts: {len(cal.posts)}")
    lines.append(f"median shipped score of posts by officialese label: {by_label}")
    lines.append(f"speed (counts + score, {sp['posts']} posts of ~1,000 chars, doc given): "
                 f"p50 {sp['p50_us']} µs, p99 {sp['p99_us']} µs")
    return {"metrics": {"rows": rows, "median_score_by_officialese": by_label, "speed": sp},
            "table": "\n".join(lines)}


def write_card(path: Path, cal: Calibration, model: dict, meta: dict, report: dict) -> None:
    """Write the model card with data hashes, versions, metrics, intended use and limits."""
    weights = "\n".join(f"| {f} | {w:.4f} | {r:.4f} |" for f, w, r in
                        zip(model["features"], model["weights"], model["reference"], strict=True))
    versions = (f"Python {platform.python_version()}, numpy {np.__version__}, scipy "
                f"{scipy.__version__}, scikit-learn {sklearn.__version__}, pymorphy3 "
                f"{pymorphy3.__version__}")
    text = TEMPLATE.format(
        hashes="\n".join(f"- `{k}` sha256 `{v}`" for k, v in cal.hashes.items()),
        pairs=len(cal.pairs), dropped=", ".join(f"{k} {v}" for k, v in cal.dropped.items()),
        n_sources=len({g for _, _, g in cal.pairs}), posts=len(cal.posts),
        revision=meta["code_revision"], trained=meta["trained_at"], versions=versions,
        table=report["table"], weights=weights, rare=model["rare_ipm"],
        alpha=model["l2_alpha"], grade=model["grade"],
        selection="\n".join(f"- {x}" for x in meta["selection"]),
    )
    path.write_text(text, encoding="utf-8")


TEMPLATE = """# Model card: readability (`models/readability/weights.json`)

**What it does.** Scores how easy a Russian post is for an ordinary resident, 0–100 (higher is
easier), from raw counts of its `Doc` (service/readability/):
score = 100·σ(intercept − Σ wᵢ·fᵢ) over densities fᵢ (words per sentence, syllables per word,
shares of long (4+ syllables) and rare words (lemma under {rare:g} ipm in the RNC frequency list,
names excluded), officialese hits, unexplained acronyms, genitive noun chains, verbal nouns,
passive participles, participles, gerunds, words beyond 80 in a block without breaks).
Grade level = {grade[intercept]} + {grade[slope]}·Σ wᵢ·fᵢ clipped to 1–18: our difficulty put
on the scale of the classic Flesch–Kincaid grade for Russian (Оборнева) by linear equating on
the posts (same mean and spread), so it is monotone in our score.
Reading time = words / 150 words per minute (silent reading of an adult).

## Data
- RuSimpleSentEval dev (Dialogue-2021): Wikipedia sentences and crowd-simplified versions.
  No license: used only to fit a dozen numbers; no text is shipped or memorised.
  {pairs} pairs (of {n_sources} source sentences) used; dropped: {dropped} (identical after
  normalising; outputs under 3 words; outputs over 1.5× the source's words — rewrites, not
  simplifications). Longer but genuine simplifications (plain words for rare ones) are kept.
- gosposts/train.jsonl ({posts} posts, ours): the `officialese` label 0–2, as pairs of posts with
  different labels.
{hashes}

Trained {trained} at code revision `{revision}` (plus the working tree of that
session); {versions}.

## Method
Pairwise logistic regression with non-negative weights (a feature can only make a text harder)
and L2 (α = {alpha:g}); in total the posts' pairs weigh twice the sentence pairs. The rare-word
threshold and α are chosen by 5-fold cross-validation grouped by source sentence (posts split
by post), on the mean of the sentence-pair and post-pair accuracies:
{selection}

Then the difficulty is mapped to 0–100 with a logistic anchored on the posts: the median plain
post (officialese 0) scores 75, the median heavy one (officialese 2) scores 22.

## Metrics (pair accuracy: ties count one half; Spearman: difficulty vs officialese label)
```
{table}
```

## Weights (on raw features) and the plain-post reference used for the reasons
| feature | weight | median of plain posts |
|---|---|---|
{weights}

## Intended use and limits
- For posts of government pages, ~20–300 words. Under 8 words the score is pulled towards 50.
- The officialese count comes from service/officialese/ as it was at training time: when
  that finder changes, re-run `python -m training.train_readability` (its hit rate moves the
  weight of the officialese feature).
- Simplification pairs are single Wikipedia sentences: the model learns what crowd editors
  simplify (length, rare words, participles), not how residents understand a whole post.
- Grade level is a convenience scale borrowed from Flesch–Kincaid, not a measured school grade.
- Rare words weigh little: in these data the RNC frequency of a lemma adds little beyond word
  length (everyday words of public services — «прививка», «квитанция» — are rare in the RNC).
- Speed: the p50 above is counting + scoring of an analysed post; the p99 on this shared
  2-core machine is dominated by other processes.
"""


def main(argv: list[str] | None = None) -> None:
    """Print the comparison table for the shipped model."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--model", type=Path, default=REPO / "models" / "readability")
    args = ap.parse_args(argv)
    cal = load(args.shared)
    model_json = json.loads((args.model / "weights.json").read_text(encoding="utf-8"))
    print(evaluate(cal, model_json, args.model)["table"])


if __name__ == "__main__":
    main()
