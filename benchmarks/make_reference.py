"""Reference outputs of the scorer on a fixed sample of posts, for tests/test_outputs_unchanged.py.

    python benchmarks/make_reference.py --repo /tmp/ref_head --out tests/fixtures/reference_outputs.jsonl.gz
    python benchmarks/make_reference.py --make-sample --shared ../shared/data   # new sample

`--repo` is the checkout whose code (and models/) scores the sample, e.g. a worktree of the
commit the outputs must stay equal to (`git worktree add /tmp/ref_head HEAD`); the posts
always come from this script's own repository (tests/fixtures/reference_posts.jsonl.gz).
Every row is scored twice, as `Scorer.score_row` (API, `check`) and as a batch chunk
(service.jobs.tasks.score_rows), and both results are stored.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent.parent
POSTS = HERE / "tests" / "fixtures" / "reference_posts.jsonl.gz"
OUTPUTS = HERE / "tests" / "fixtures" / "reference_outputs.jsonl.gz"
N_TELEGRAM = 230  # real posts, CC BY 4.0 (NKTKLN/telegram-news-classifier)
N_GOSPOSTS = 70  # our annotated posts (training/data/gosposts), with page types
PAGE_TYPES = ("school", "hospital", "municipality", "mfc", "library", "culture", "utility",
              "transport", "social_protection", "youth", None)
ATTACHMENTS = ((), ("photo",), ("video",), ("photo", "link"), ("doc",), ("poll",))


def write_jsonl_gz(path: Path, rows: list[Any]) -> None:
    """Write rows as gzipped JSON Lines, byte-for-byte reproducible (no time stamp)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")


def read_jsonl_gz(path: Path) -> list[Any]:
    """Return the rows of a gzipped JSON Lines file."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def make_sample(shared: Path) -> list[dict[str, Any]]:
    """Return the sample: real Telegram posts and our posts on varied pages, a few reposts,
    published posts with metrics, and a few rows that must be refused."""
    rng = random.Random(17)
    csv.field_size_limit(10**7)
    with open(shared / "corpora" / "tg_news_posts.csv", encoding="utf-8") as f:
        texts = [r["text"] for r in csv.DictReader(f) if r["text"].strip()]
    tg = rng.sample(texts, N_TELEGRAM)
    with open(HERE / "training" / "data" / "gosposts" / "train.jsonl", encoding="utf-8") as f:
        ours = [json.loads(line) for line in f if line.strip()]
    own = rng.sample(ours, N_GOSPOSTS)
    rows: list[dict[str, Any]] = []
    for i, text in enumerate(tg):
        row: dict[str, Any] = {"id": f"tg-{i}", "text": text, "platform": "telegram"}
        if i % 3 == 0:
            row["attachments"] = list(ATTACHMENTS[i % len(ATTACHMENTS)])
        if i % 4 == 1:
            views = rng.randint(50, 40_000)
            row["metrics"] = {"views": views, "likes": rng.randint(0, views // 20),
                              "reposts": rng.randint(0, 30), "comments": rng.randint(0, 25)}
            row["published_at"] = f"2024-11-{1 + i % 28:02d}T{8 + i % 12:02d}:15:00+03:00"
        rows.append(row)
    for i, p in enumerate(own):
        page_type = PAGE_TYPES[i % len(PAGE_TYPES)] if i % 2 else p.get("page_type")
        row = {"id": f"gp-{p['id']}", "text": p["text"], "platform": p.get("platform") or "vk",
               "attachments": p.get("attachments") or []}
        if p.get("published_at"):
            row["published_at"] = p["published_at"]
        if page_type:
            row["page"] = {"id": f"page-{i % 9}", "name": p.get("page_name") or "Страница",
                           "type": page_type, "subscribers": 500 + 137 * i}
        if i % 3 == 0:
            row["metrics"] = {"views": 300 + 41 * i, "likes": i % 17, "reposts": i % 5,
                              "comments": i % 4}
        rows.append(row)
    # the same text again on other pages (reposts share the analysed text, not the results)
    for i in (3, 40, 120):
        rows.append({**rows[i], "id": f"repost-{i}", "platform": "vk",
                     "page": {"id": "page-r", "type": "municipality"}, "attachments": ["photo"]})
    rows.append({**rows[N_TELEGRAM + 5], "id": "repost-own", "platform": "ok"})
    rows += [{"id": "bad-empty", "text": "   "}, {"id": "bad-none"},
             {"id": "bad-platform", "text": "Приём граждан 5 марта.", "platform": "facebook"}]
    return rows


def score(repo: Path, posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return, per post, the single-post result and the batch chunk line of `repo`'s code."""
    sys.path.insert(0, str(repo))
    import service

    if Path(service.__file__).resolve().parent != (repo / "service").resolve():
        raise SystemExit(f"service imported from {service.__file__}, not from {repo}")
    from service.jobs.tasks import score_rows
    from service.scoring import Scorer

    single = Scorer()
    singles = [single.score_row(json.loads(json.dumps(p)), n) for n, p in enumerate(posts, 1)]
    chunk = score_rows(Scorer(), [[n, json.loads(json.dumps(p)), None]
                                  for n, p in enumerate(posts, 1)])
    lines = [json.loads(h + t) for h, t in zip(chunk.heads, chunk.tails, strict=True)]
    return [{"line": n, "single": s, "batch": b}
            for n, (s, b) in enumerate(zip(singles, lines, strict=True), 1)]


def main(argv: list[str] | None = None) -> int:
    """Write the sample or the reference outputs; return the exit code."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", type=Path, default=HERE, help="checkout whose code scores")
    ap.add_argument("--out", type=Path, default=OUTPUTS)
    ap.add_argument("--posts", type=Path, default=POSTS)
    ap.add_argument("--make-sample", action="store_true", help="draw a new sample of posts")
    ap.add_argument("--shared", type=Path, default=HERE.parent / "shared" / "data")
    args = ap.parse_args(argv)
    if args.make_sample:
        rows = make_sample(args.shared)
        write_jsonl_gz(args.posts, rows)
        print(f"{len(rows)} posts -> {args.posts}")
        return 0
    posts = read_jsonl_gz(args.posts)
    out = score(args.repo.resolve(), posts)
    write_jsonl_gz(args.out, out)
    print(f"{len(out)} reference outputs of {args.repo} -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
