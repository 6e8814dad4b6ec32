"""Compare sentence splitters on post lines with abbreviations: razdel vs nltk Punkt trained here.

Punkt's Russian model cannot be downloaded here, so it is trained on real posts
(../shared/data/corpora/tg_news_posts.csv and the annotated gosposts). Prints boundary
precision/recall/F1 and exact-line accuracy for each splitter on
training/data/segmentation_gold.txt, and their speed.

    python -m training.eval_segmentation [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

from razdel import sentenize

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "training" / "data" / "segmentation_gold.txt"


def load_gold() -> list[tuple[str, set[int]]]:
    """Return (line, set of boundary offsets) pairs from the gold file."""
    out = []
    for raw in GOLD.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        parts = raw.split(" | ")
        text = " ".join(parts)
        bounds, pos = set(), 0
        for p in parts[:-1]:
            pos += len(p) + 1
            bounds.add(pos)
        out.append((text, bounds))
    return out


def razdel_bounds(text: str) -> set[int]:
    """Return the sentence start offsets (after the first) razdel finds."""
    return {s.start for s in sentenize(text)} - {0}


def train_punkt(shared: Path, limit: int = 12_000):  # type: ignore[no-untyped-def]
    """Return an nltk Punkt tokenizer trained on real Russian posts."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

    texts: list[str] = []
    csv.field_size_limit(10**7)
    with open(shared / "corpora" / "tg_news_posts.csv", encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(f)):
            if i >= limit:
                break
            texts.append(row["text"])
    with open(shared / "gosposts" / "train.jsonl", encoding="utf-8") as f:
        texts.extend(json.loads(line)["text"] for line in f)
    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = True
    trainer.train("\n\n".join(texts), finalize=True)
    return PunktSentenceTokenizer(trainer.get_params())


def score(pred: list[set[int]], gold: list[set[int]]) -> dict[str, float]:
    """Return boundary precision, recall, F1 and share of lines split exactly right."""
    tp = sum(len(p & g) for p, g in zip(pred, gold, strict=True))
    n_pred = sum(len(p) for p in pred)
    n_gold = sum(len(g) for g in gold)
    prec = tp / n_pred if n_pred else 1.0
    rec = tp / n_gold if n_gold else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    exact = sum(p == g for p, g in zip(pred, gold, strict=True)) / len(gold)
    return {"precision": prec, "recall": rec, "f1": f1, "exact_lines": exact}


def main(argv: list[str] | None = None) -> int:
    """Print the comparison table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    args = ap.parse_args(argv)
    gold = load_gold()
    texts = [t for t, _ in gold]
    gold_b = [b for _, b in gold]
    rows = {"razdel": [razdel_bounds(t) for t in texts]}
    speed = {}
    t0 = time.perf_counter()
    for _ in range(50):
        for t in texts:
            razdel_bounds(t)
    n_words = sum(len(t.split()) for t in texts) * 50
    speed["razdel"] = n_words / (time.perf_counter() - t0)
    if (args.shared / "corpora" / "tg_news_posts.csv").exists():
        t0 = time.perf_counter()
        punkt = train_punkt(args.shared)
        print(f"Punkt trained in {time.perf_counter() - t0:.1f} s")
        rows["punkt (trained on posts)"] = [
            {s for s, _ in punkt.span_tokenize(t)} - {0} for t in texts
        ]
        t0 = time.perf_counter()
        for _ in range(50):
            for t in texts:
                list(punkt.span_tokenize(t))
        speed["punkt (trained on posts)"] = n_words / (time.perf_counter() - t0)
    else:
        print(f"{args.shared} not found: Punkt is not trained, only razdel is measured")
    print(f"{len(gold)} gold lines, {sum(len(b) for b in gold_b)} boundaries")
    print(f"{'splitter':28} {'prec':>6} {'rec':>6} {'F1':>6} {'exact':>6} {'words/s':>9}")
    for name, pred in rows.items():
        m = score(pred, gold_b)
        print(f"{name:28} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} "
              f"{m['exact_lines']:6.3f} {speed[name]:9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
