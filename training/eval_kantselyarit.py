"""Precision / recall of the officialese finder against the `bureaucratese` spans of gosposts.

Run: python -m training.eval_kantselyarit [--shared PATH] [--errors N] [--speed]

Span level: a hit is correct when it overlaps a gold span; a gold span is found when any hit
overlaps it. Post level: the post carries the `kantselyarit` issue vs. we emit at least one hit.
Posts are split into 5 folds by a hash of their id. Entries marked `err` in the lexicon were
added after looking at errors on the DEV folds (0-2) only, so the HELD-OUT folds (3-4) measure
how the lexicon generalises; the figures are also printed without the `err` entries.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from training.dataset import OWN_DATA

REPO = Path(__file__).resolve().parents[1]
DEV_FOLDS = (0, 1, 2)
HELD_OUT_FOLDS = (3, 4)


def fold_of(post_id: str) -> int:
    """Return the fold (0-4) of a post id, stable across runs and machines."""
    return int(hashlib.md5(post_id.encode("utf-8")).hexdigest(), 16) % 5


def load_rows(shared: Path) -> list[dict[str, Any]]:
    """Return the annotated posts of gosposts/train.jsonl."""
    with open(shared / "gosposts" / "train.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def gold_spans(row: dict[str, Any]) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of the labelled officialese phrases of a post."""
    text = row["text"]
    spans = []
    for phrase in row["labels"].get("bureaucratese") or []:
        i = text.find(phrase)
        if i >= 0:
            spans.append((i, i + len(phrase)))
    return spans


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Return True when two half-open spans share a character."""
    return a[0] < b[1] and b[0] < a[1]


def evaluate(rows: list[dict[str, Any]], predicted: list[list[tuple[int, int]]]) -> dict[str, float]:
    """Return span and post-level precision, recall and F1."""
    hit_ok = hit_all = gold_found = gold_all = 0
    tp = fp = fn = 0
    for row, hits in zip(rows, predicted, strict=True):
        gold = gold_spans(row)
        hit_all += len(hits)
        hit_ok += sum(1 for h in hits if any(_overlaps(h, g) for g in gold))
        gold_all += len(gold)
        gold_found += sum(1 for g in gold if any(_overlaps(h, g) for h in hits))
        labelled = "kantselyarit" in row["labels"]["issues"]
        tp += labelled and bool(hits)
        fp += (not labelled) and bool(hits)
        fn += labelled and not hits
    sp = hit_ok / hit_all if hit_all else 1.0
    sr = gold_found / gold_all if gold_all else 1.0
    pp = tp / (tp + fp) if tp + fp else 1.0
    pr = tp / (tp + fn) if tp + fn else 1.0
    return {
        "span_p": sp, "span_r": sr, "span_f1": _f1(sp, sr),
        "post_p": pp, "post_r": pr, "post_f1": _f1(pp, pr), "hits": hit_all, "gold": gold_all,
    }


def _f1(p: float, r: float) -> float:
    """Return the harmonic mean of p and r."""
    return 2 * p * r / (p + r) if p + r else 0.0


def predict(rows: list[dict[str, Any]], lexicon: Any = None) -> tuple[list[list[Any]], list[Any]]:
    """Return the hits of every post (and the hits themselves) under a lexicon."""
    from service.nlp.pipeline import get_pipeline
    from service.officialese import find_kantselyarit

    pipe = get_pipeline()
    spans, hits = [], []
    for row in rows:
        h = find_kantselyarit(pipe.analyse(row["text"]), lexicon)
        hits.append(h)
        spans.append([(x.start, x.end) for x in h])
    return spans, hits


def _line(name: str, m: dict[str, float]) -> str:
    """Return one printed row of the figures."""
    return (f"{name:<24} span P {m['span_p']:.3f} R {m['span_r']:.3f} F1 {m['span_f1']:.3f}   "
            f"post P {m['post_p']:.3f} R {m['post_r']:.3f} F1 {m['post_f1']:.3f}   "
            f"hits {int(m['hits'])} gold {int(m['gold'])}")


def report(rows: list[dict[str, Any]], spans: list[list[Any]], title: str) -> None:
    """Print the figures on all posts, the dev folds and the held-out folds."""
    print(title)
    for name, folds in (("all folds", range(5)), ("dev folds 0-2", DEV_FOLDS),
                        ("held-out folds 3-4", HELD_OUT_FOLDS)):
        idx = [i for i, r in enumerate(rows) if fold_of(r["id"]) in folds]
        print("  " + _line(name, evaluate([rows[i] for i in idx], [spans[i] for i in idx])))


def errors(rows: list[dict[str, Any]], hits: list[list[Any]], n: int) -> None:
    """Print false-positive hits and missed gold spans of the DEV folds only."""
    fps, misses = [], []
    for row, hs in zip(rows, hits, strict=True):
        if fold_of(row["id"]) not in DEV_FOLDS:
            continue
        gold = gold_spans(row)
        for h in hs:
            if not any(_overlaps((h.start, h.end), g) for g in gold):
                fps.append(f"{row['id']} o={row['labels']['officialese']} «{h.fragment}» [{h.pattern}]")
        for g in gold:
            if not any(_overlaps((h.start, h.end), g) for h in hs):
                misses.append(f"{row['id']} «{row['text'][g[0]:g[1]]}»")
    print(f"\nfalse positives on dev folds ({len(fps)}):")
    print("\n".join(fps[:n]))
    print(f"\nmissed gold spans on dev folds ({len(misses)}):")
    print("\n".join(misses[:n]))


def speed(rows: list[dict[str, Any]]) -> None:
    """Print the time of `find_kantselyarit` alone: per post of ~1,000 chars and per 1,000 chars."""
    from service.nlp.pipeline import get_pipeline
    from service.officialese import find_kantselyarit

    pipe = get_pipeline()
    texts = [r["text"] for r in rows]
    for t in texts:  # warm the caches, as in a running service
        find_kantselyarit(pipe.analyse(t))
    times: list[tuple[int, float]] = []  # best of 3 per post: the machine is shared and noisy
    for t in texts:
        best = float("inf")
        for _ in range(3):
            doc = pipe.analyse(t)
            t0 = time.perf_counter()
            find_kantselyarit(doc)
            best = min(best, (time.perf_counter() - t0) * 1000)
        times.append((len(t), best))
    total = sum(ms for _, ms in times) / sum(n for n, _ in times) * 1000
    near = sorted(ms for n, ms in times if 800 <= n <= 1200)
    med = statistics.median(near) if near else float("nan")
    p90 = near[int(len(near) * 0.9)] if near else float("nan")
    print(f"\nspeed (warm caches): {total:.3f} ms per 1,000 chars over all posts; posts of "
          f"800-1,200 chars: median {med:.3f} ms, p90 {p90:.3f} ms ({len(near)} posts, best of 3)")


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=OWN_DATA,
                    help="folder with gosposts/train.jsonl (default: our copy in training/data)")
    ap.add_argument("--errors", type=int, default=0, help="print N errors of the dev folds")
    ap.add_argument("--speed", action="store_true", help="also time the finder")
    args = ap.parse_args(argv)
    if not (args.shared / "gosposts" / "train.jsonl").exists():
        print(f"no gosposts/train.jsonl under {args.shared}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(REPO))
    from service.officialese.lexicon import build, load_lexicon

    rows = load_rows(args.shared)
    spans, hits = predict(rows)
    report(rows, spans, "full lexicon:")
    lex = load_lexicon()
    generic = build([e for e in lex.entries if e.origin != "err"])
    if len(generic.entries) < len(lex.entries):
        g_spans, _ = predict(rows, generic)
        report(rows, g_spans, f"without the {len(lex.entries) - len(generic.entries)} "
               "error-analysis (err) entries:")
    if args.errors:
        errors(rows, hits, args.errors)
    if args.speed:
        speed(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
