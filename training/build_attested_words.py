"""Build service/lexicons/attested_words.txt.gz: words real edited posts use that pymorphy3's
dictionary lacks («паблик», «промпт», «скамер»), so the spelling check leaves them alone.

A word is attested when it appears in at least MIN_POSTS posts of at least MIN_CHANNELS channels
of tg_news_posts.csv (CC BY 4.0, NKTKLN/telegram-news-classifier). `--half even|odd` builds the
list from half of the posts, so eval_moderation can measure false alarms on the other half.

Usage: python -m training.build_attested_words [--shared PATH] [--half even|odd] [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
from collections import Counter, defaultdict
from pathlib import Path

import pymorphy3

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "service" / "lexicons" / "attested_words.txt.gz"
CORPUS = Path("corpora") / "tg_news_posts.csv"
MIN_POSTS = 3
MIN_CHANNELS = 2
WORD = re.compile(r"(?<![\w-])[а-яё]{4,}(?![\w-])")


def read_posts(shared: Path, half: str | None = None) -> list[tuple[str, str]]:
    """Return (channel, text) of the corpus posts, or of one half of them by message id."""
    with open(shared / CORPUS, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if half:
        parity = 0 if half == "even" else 1
        rows = [r for r in rows if int(r["message_id"]) % 2 == parity]
    return [(r["channel"], r["text"]) for r in rows]


def attested(posts: list[tuple[str, str]]) -> list[str]:
    """Return the sorted unknown words used often enough by enough channels."""
    morph = pymorphy3.MorphAnalyzer(lang="ru")
    n_posts: Counter[str] = Counter()
    channels: dict[str, set[str]] = defaultdict(set)
    for channel, text in posts:
        for w in set(WORD.findall(text.lower())):
            n_posts[w] += 1
            channels[w].add(channel)
    return sorted(
        w for w, n in n_posts.items()
        if n >= MIN_POSTS and len(channels[w]) >= MIN_CHANNELS and not morph.word_is_known(w)
    )


def write(words: list[str], out: Path) -> None:
    """Write the words, one a line, gzipped."""
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("\n".join(words) + "\n")


def main(argv: list[str] | None = None) -> None:
    """Build the list and print its size."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--half", choices=["even", "odd"])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    words = attested(read_posts(args.shared, args.half))
    write(words, args.out)
    print(f"{args.out}: {len(words)} words")


if __name__ == "__main__":
    main()
