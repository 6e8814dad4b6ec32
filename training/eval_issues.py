"""Per-code precision / recall / F1 of the feedback codes against the rubric's `issues` labels.

Run: python -m training.eval_issues [--shared PATH] [--errors CODE] [--no-cv]

Scores every post of gosposts/train.jsonl with the full `Scorer` (so every helper's codes are
covered), compares the set of feedback codes with the labelled issues, and prints a per-code
table plus micro-F1. The thresholds of the form rules were tuned on this file, so for those
codes it also prints 5-fold cross-validated figures: the threshold is chosen on four folds
from a grid and measured on the fifth. The learned facts codes (missing_when, missing_where,
missing_contact, no_call_to_action; models/issues) are trained on this file, so their in-sample
figures are flattering: the cv table uses their out-of-fold decisions from nested grouped CV.
The other six codes (kantselyarit, long_sentences, unexplained_abbreviation, profanity,
personal_data, typos) have no cross-validated figure here: their rules and lexicons were written
looking at these posts, so the cv table repeats their in-sample counts, and it prints micro-F1
separately for the cross-validated codes, for the in-sample ones, and for all (mixed).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from training.dataset import OWN_DATA

CODES = [
    "no_call_to_action", "missing_when", "missing_where", "missing_contact", "wall_of_text",
    "too_short", "kantselyarit", "long_sentences", "caps", "exclamation_overuse",
    "emoji_overuse", "hashtag_overuse", "unexplained_abbreviation", "profanity",
    "personal_data", "typos",
]


def load_rows(shared: Path) -> list[dict[str, Any]]:
    """Return the annotated posts of train.jsonl."""
    path = shared / "gosposts" / "train.jsonl"
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def to_post(row: dict[str, Any]) -> dict[str, Any]:
    """Return the scorer's input object for an annotated row."""
    return {
        "id": row["id"],
        "text": row["text"],
        "platform": row.get("platform"),
        "published_at": row.get("published_at"),
        "attachments": row.get("attachments") or [],
        "page": {"name": row.get("page_name"), "type": row.get("page_type")},
    }


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Return precision, recall and F1 (1.0 when there is nothing to find and nothing found)."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def table(gold: list[set[str]], pred: list[set[str]], codes: list[str]) -> list[tuple]:
    """Return rows (code, support, tp, fp, fn, p, r, f1) and a last micro row."""
    out = []
    T = F = N = 0
    for c in codes:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if c in g and c in p)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if c not in g and c in p)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if c in g and c not in p)
        T, F, N = T + tp, F + fp, N + fn
        out.append((c, tp + fn, tp, fp, fn, *prf(tp, fp, fn)))
    out.append(("micro", T + N, T, F, N, *prf(T, F, N)))
    return out


def print_table(rows: list[tuple], title: str) -> None:
    """Print a per-code table."""
    print(f"\n{title}")
    print(f"{'code':26} {'n':>4} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for c, n, tp, fp, fn, p, r, f in rows:
        print(f"{c:26} {n:4d} {tp:4d} {fp:4d} {fn:4d} {p:6.3f} {r:6.3f} {f:6.3f}")


def cross_validate(
    rows: list[dict[str, Any]], docs: list[Any], gold: list[set[str]], folds: int = 5
) -> dict[str, tuple[int, int, int]]:
    """Return out-of-fold (tp, fp, fn) per form code, thresholds chosen on the other folds."""
    from service.rules.form import CV_GRID, fires

    order = list(range(len(rows)))
    random.Random(13).shuffle(order)
    fold_of = {i: k % folds for k, i in enumerate(order)}
    feats = [(d, r.get("platform") or "vk") for d, r in zip(docs, rows, strict=True)]
    result: dict[str, tuple[int, int, int]] = {}
    for code, grid in CV_GRID.items():
        # one pass per candidate: fired or not for every post
        fired = {s: [fires(code, d, plat, s) for d, plat in feats] for s in grid}

        def counts(idx: list[int], s: float, code: str = code,
                   fired: dict[float, list[bool]] = fired) -> tuple[int, int, int]:
            tp = sum(1 for i in idx if fired[s][i] and code in gold[i])
            fp = sum(1 for i in idx if fired[s][i] and code not in gold[i])
            fn = sum(1 for i in idx if not fired[s][i] and code in gold[i])
            return tp, fp, fn

        tot = [0, 0, 0]
        for k in range(folds):
            train = [i for i in range(len(rows)) if fold_of[i] != k]
            test = [i for i in range(len(rows)) if fold_of[i] == k]
            best = max(grid, key=lambda s, train=train: (prf(*counts(train, s))[2], -abs(s - 1)))
            for j, v in enumerate(counts(test, best)):
                tot[j] += v
        result[code] = (tot[0], tot[1], tot[2])
    return result


def learned_oof(rows: list[dict[str, Any]], docs: list[Any], gold: list[set[str]]
                ) -> dict[str, tuple[int, int, int]]:
    """Return out-of-fold (tp, fp, fn) of the learned facts codes (training/train_issue_models)."""
    from training.train_issue_models import build_features, groups_of, oof_decisions

    oof = oof_decisions(build_features(rows, docs), gold, groups_of(rows))
    out = {}
    for code, pred in oof.items():
        y = [code in g for g in gold]
        out[code] = (sum(1 for a, b in zip(y, pred, strict=True) if a and b),
                     sum(1 for a, b in zip(y, pred, strict=True) if not a and b),
                     sum(1 for a, b in zip(y, pred, strict=True) if a and not b))
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print the tables; return the exit code."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=OWN_DATA,
                    help="folder with gosposts/train.jsonl (default: our copy in training/data)")
    ap.add_argument("--errors", metavar="CODE", help="print the false positives/negatives of CODE")
    ap.add_argument("--no-cv", action="store_true", help="skip the cross-validated thresholds")
    args = ap.parse_args(argv)
    if not (args.shared / "gosposts" / "train.jsonl").exists():
        print(f"нет файла {args.shared / 'gosposts' / 'train.jsonl'}: укажите --shared", file=sys.stderr)
        return 2

    from service.scoring import Scorer

    rows = load_rows(args.shared)
    scorer = Scorer()
    gold: list[set[str]] = [set(r["labels"]["issues"]) for r in rows]
    pred: list[set[str]] = []
    docs = []
    t0 = time.perf_counter()
    for r in rows:
        out = scorer.score(to_post(r))
        pred.append({it["code"] for it in out["feedback"]})
    elapsed = time.perf_counter() - t0
    print(f"{len(rows)} posts scored in {elapsed:.2f} s ({elapsed / len(rows) * 1000:.2f} ms/post)")
    print_table(table(gold, pred, CODES), "in-sample (на обучающих данных), full Scorer, "
                "all codes")

    if not args.no_cv:
        docs = [scorer.pipeline.analyse(r["text"]) for r in rows]
        cv = cross_validate(rows, docs, gold)
        cv.update(learned_oof(rows, docs, gold))
        cv_pred = [set(p) for p in pred]
        # replace the form codes' in-sample decisions by their out-of-fold counts
        cv_rows = []
        sums = {True: [0, 0, 0], False: [0, 0, 0]}  # cross-validated codes / in-sample codes
        for c, _n, tp, fp, fn, *_ in table(gold, cv_pred, CODES)[:-1]:
            if c in cv:
                tp, fp, fn = cv[c]
            for j, v in enumerate((tp, fp, fn)):
                sums[c in cv][j] += v
            cv_rows.append((c + (" (cv)" if c in cv else ""), tp + fn, tp, fp, fn, *prf(tp, fp, fn)))
        n_cv = sum(1 for c in CODES if c in cv)
        for label, part in ((f"micro, {n_cv} (cv) codes", sums[True]),
                            (f"micro, {len(CODES) - n_cv} in-sample", sums[False])):
            tp, fp, fn = part
            cv_rows.append((label, tp + fn, tp, fp, fn, *prf(tp, fp, fn)))
        T, F, N = (sums[True][j] + sums[False][j] for j in range(3))
        cv_rows.append(("micro, all (mixed)", T + N, T, F, N, *prf(T, F, N)))
        print_table(cv_rows, "cross-validated (cv) codes — перекрёстная проверка: form thresholds "
                    "chosen on 4 folds; learned facts codes by nested grouped 5-fold CV, "
                    "out-of-fold. The other codes — на обучающих данных: their rules, lexicons "
                    "and thresholds were developed on these posts, so their figures are "
                    "in-sample and flattering; the mixed micro row averages the two kinds")

    if args.errors:
        show: Callable[[str], str] = lambda t: t[:300].replace("\n", " ⏎ ")  # noqa: E731
        for r, g, p in zip(rows, gold, pred, strict=True):
            if (args.errors in g) != (args.errors in p):
                kind = "FN" if args.errors in g else "FP"
                print(f"\n{kind} {r['id']} {r['platform']} {r['page_type']} {r['labels']['rubric']}")
                print("   ", show(r["text"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
