"""Train the per-code models of missing_when / missing_where / missing_contact / no_call_to_action.

Run: python -m training.train_issue_models [--shared PATH] [--out models/issues] [--dry-run]

One L2 logistic regression per code over `service.issue_model.features` (facts flags, hand-rule
verdicts, page type, verb tense, lemmas). Near-duplicate posts share a group (training/dedup.py)
and never straddle folds. Figures are honest: nested 5-fold CV — the regularisation C and the
decision threshold are chosen by an inner 4-fold CV on the training folds only, and the outer
fold is predicted once (`oof_decisions`, also used by training/eval_issues.py). The shipped
model is then refitted on all posts with C and threshold chosen by 5-fold CV.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from service.issue_model import CODES, FORMAT_VERSION, features
from training.dataset import OWN_DATA
from training.model_card import git_revision

REPO = Path(__file__).resolve().parents[1]
C_GRID = (0.1, 0.3, 1.0, 3.0)
THRESHOLDS = tuple(round(0.1 + 0.025 * i, 3) for i in range(29))  # 0.1 … 0.8
MIN_DF = 4  # a lemma must occur in this many training posts
SEED = 13

Feats = list[dict[str, float]]
Spec = tuple[float, bool]  # (C, with lemma features)
SPECS: tuple[Spec, ...] = tuple((c, lem) for lem in (True, False) for c in C_GRID)
HAND = {"missing_when": "rule:when", "missing_where": "rule:where",
        "missing_contact": "rule:contact", "no_call_to_action": "rule:cta"}


def build_features(rows: Sequence[dict[str, Any]], docs: Sequence[Any] | None = None) -> Feats:
    """Return the features of every annotated post, computed as the service computes them."""
    from service.facts import extract_facts
    from service.nlp import get_pipeline

    if docs is None:
        nlp = get_pipeline()
        docs = [nlp.analyse(r["text"]) for r in rows]
    return [features(d, extract_facts(d), r.get("page_type")) for r, d in zip(rows, docs,
                                                                              strict=True)]


def fold_ids(groups: Sequence[int], folds: int, seed: int = SEED) -> np.ndarray:
    """Return a fold number per post; all posts of one near-duplicate group share a fold."""
    uniq = sorted(set(groups))
    rng = np.random.default_rng(seed)
    rng.shuffle(uniq)
    of = {g: k % folds for k, g in enumerate(uniq)}
    return np.array([of[g] for g in groups])


def _vocab(feats: Feats, idx: Sequence[int], lemmas: bool) -> set[str]:
    """Return the feature names kept for a training set (rare lemmas, or all lemmas, dropped)."""
    df: Counter[str] = Counter()
    for i in idx:
        df.update(feats[i])
    return {k for k, n in df.items()
            if not k.startswith("l:") or lemmas and n >= MIN_DF} - {"bias_"}


def _fit(feats: Feats, y: np.ndarray, idx: Sequence[int], spec: Spec
         ) -> tuple[DictVectorizer, LogisticRegression]:
    """Return a vectoriser and a logistic regression fitted on the posts `idx`."""
    c, lemmas = spec
    keep = _vocab(feats, idx, lemmas)
    vec = DictVectorizer()
    X = _int32(vec.fit_transform([{k: v for k, v in feats[i].items() if k in keep} for i in idx]))
    clf = LogisticRegression(C=c, solver="liblinear")
    clf.fit(X, y[idx])
    return vec, clf


def _proba(model: tuple[DictVectorizer, LogisticRegression], feats: Feats,
           idx: Sequence[int]) -> np.ndarray:
    vec, clf = model
    return clf.predict_proba(_int32(vec.transform([feats[i] for i in idx])))[:, 1]


def _int32(X: Any) -> Any:
    """Return a CSR matrix with 32-bit indices (liblinear refuses 64-bit ones)."""
    X = X.tocsr()
    X.indices = X.indices.astype(np.int32)
    X.indptr = X.indptr.astype(np.int32)
    return X


def f1(y: np.ndarray, pred: np.ndarray) -> float:
    """Return the F1 of boolean predictions."""
    tp = int((y & pred).sum())
    fp = int((~y & pred).sum())
    fn = int((y & ~pred).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def hand(feats: Feats, code: str, idx: Sequence[int]) -> np.ndarray:
    """Return the hand rule's verdicts on the posts `idx`."""
    return np.array([feats[i].get(HAND[code], 0.0) > 0 for i in idx], dtype=bool)


def choose(feats: Feats, y: np.ndarray, idx: np.ndarray, groups: Sequence[int], code: str,
           folds: int = 4) -> tuple[Spec | None, float, float]:
    """Return (spec or None for the hand rule, threshold, inner-CV F1) chosen by grouped CV."""
    fid = fold_ids([groups[i] for i in idx], folds, SEED + 1)
    best: tuple[Spec | None, float, float] = (None, 0.5, f1(y[idx], hand(feats, code, idx)))
    for spec in SPECS:
        prob = np.zeros(len(idx))
        for k in range(folds):
            tr, te = idx[fid != k], np.flatnonzero(fid == k)
            prob[te] = _proba(_fit(feats, y, tr, spec), feats, idx[te])
        for t in THRESHOLDS:
            score = f1(y[idx], prob >= t)
            if score > best[2] + 1e-9:
                best = (spec, t, score)
    return best


def oof_decisions(feats: Feats, gold: Sequence[set[str]], groups: Sequence[int],
                  folds: int = 5) -> dict[str, np.ndarray]:
    """Return per code the out-of-fold decisions of nested CV (parameters chosen inside)."""
    fid = fold_ids(groups, folds)
    out: dict[str, np.ndarray] = {}
    for code in CODES:
        y = np.array([code in g for g in gold])
        pred = np.zeros(len(feats), dtype=bool)
        for k in range(folds):
            tr, te = np.flatnonzero(fid != k), np.flatnonzero(fid == k)
            spec, t, _ = choose(feats, y, tr, groups, code)
            pred[te] = (hand(feats, code, te) if spec is None
                        else _proba(_fit(feats, y, tr, spec), feats, te) >= t)
        out[code] = pred
    return out


def groups_of(rows: Sequence[dict[str, Any]]) -> list[int]:
    """Return near-duplicate group ids of the posts."""
    from training.dedup import near_duplicate_groups

    return near_duplicate_groups([r["text"] for r in rows])


def load_rows(shared: Path) -> list[dict[str, Any]]:
    """Return the annotated posts of gosposts/train.jsonl."""
    with open(shared / "gosposts" / "train.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _prf(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    tp, fp, fn = int((y & pred).sum()), int((~y & pred).sum()), int((y & ~pred).sum())
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"n": tp + fn, "tp": tp, "fp": fp, "fn": fn, "precision": round(p, 3),
            "recall": round(r, 3), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3)}


def main(argv: list[str] | None = None) -> int:
    """Train, cross-validate and write the artifact; return the exit code."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=OWN_DATA,
                    help="folder with gosposts/train.jsonl (default: our copy in training/data)")
    ap.add_argument("--out", type=Path, default=REPO / "models" / "issues")
    ap.add_argument("--dry-run", action="store_true", help="report CV figures, write nothing")
    args = ap.parse_args(argv)
    path = args.shared / "gosposts" / "train.jsonl"
    if not path.exists():
        print(f"нет файла {path}: укажите --shared", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    rows = load_rows(args.shared)
    feats = build_features(rows)
    gold = [set(r["labels"]["issues"]) for r in rows]
    groups = groups_of(rows)
    print(f"{len(rows)} posts, {len(set(groups))} near-duplicate groups, "
          f"features in {time.perf_counter() - t0:.1f} s")
    oof = oof_decisions(feats, gold, groups)
    cv: dict[str, Any] = {}
    print(f"{'code':20} {'n':>4} {'P':>6} {'R':>6} {'F1':>6}   (nested 5-fold CV, out-of-fold)")
    for code in CODES:
        y = np.array([code in g for g in gold])
        cv[code] = _prf(y, oof[code])
        m = cv[code]
        print(f"{code:20} {m['n']:4d} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}")
    codes: dict[str, Any] = {}
    every = np.arange(len(rows))
    for code in CODES:
        y = np.array([code in g for g in gold])
        spec, t, score = choose(feats, y, every, groups, code, folds=5)
        if spec is None:  # the hand rule did better: the service keeps it for this code
            codes[code] = {"use": "hand", "cv_f1_for_choice": round(score, 3)}
            print(f"{code}: hand rule (cv F1 {score:.3f})")
            continue
        vec, clf = _fit(feats, y, every, spec)
        w = {name: round(float(v), 5) for name, v in zip(vec.feature_names_, clf.coef_[0],
                                                          strict=True) if abs(v) >= 1e-4}
        w["bias_"] = round(float(clf.intercept_[0]), 5)
        codes[code] = {"use": "model", "C": spec[0], "lemmas": spec[1], "threshold": t,
                       "cv_f1_for_choice": round(score, 3), "weights": w}
        top = sorted(w.items(), key=lambda kv: -kv[1])[:8]
        print(f"{code}: C={spec[0]} lemmas={spec[1]} threshold={t} cv F1 {score:.3f} "
              f"features={len(w)} top: " + ", ".join(f"{k} {v:+.2f}" for k, v in top))
    if args.dry_run:
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    data_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    (args.out / "weights.json").write_text(json.dumps(
        {"format_version": FORMAT_VERSION, "codes": codes}, ensure_ascii=False, indent=0,
        sort_keys=True) + "\n", encoding="utf-8")
    meta = {"format_version": FORMAT_VERSION, "name": "issues",
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "code_revision": git_revision(), "data": {"gosposts/train.jsonl": data_hash},
            "posts": len(rows), "groups": len(set(groups)),
            "libraries": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
            "c_grid": list(C_GRID), "min_df": MIN_DF,
            "chosen": {k: {x: v[x] for x in ("use", "C", "lemmas", "threshold") if x in v}
                       for k, v in codes.items()},
            "cv_nested_out_of_fold": cv}
    (args.out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
    print(f"wrote {args.out}/weights.json, meta.json in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
