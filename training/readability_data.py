"""Calibration data for readability: simplification pairs and annotated posts, as raw counts.

- RuSimpleSentEval dev (Dialogue-2021): a Wikipedia sentence and crowd-simplified versions.
  No license: used only to fit and check a dozen numbers; no text of it is shipped.
- gosposts/train.jsonl: the posts' `officialese` labels (0 plain … 2 heavy).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from service.nlp import get_pipeline
from service.officialese import find_kantselyarit
from service.readability import scan

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO.parent / "shared" / "data"
SIMPLE_CSV = Path("readability") / "rusimplesenteval_dev.csv"
POSTS = Path("gosposts") / "train.jsonl"
MIN_OUTPUT_WORDS = 3  # «.» or «Разновидности математики» is not a simplification
MAX_GROWTH = 1.5  # an output 1.5× longer than its source is a rewrite, not a simplification
_NORM = re.compile(r"[\W_]+")


@dataclass
class Calibration:
    """Texts as analysed docs + their officialese hits, the pairs and the post labels."""

    docs: list  # (Doc, hits) per text
    pairs: list[tuple[int, int, int]]  # (hard text index, easy text index, source group)
    posts: list[int]  # text indices of the posts
    labels: list[int]  # officialese label of each post
    dropped: dict[str, int]
    hashes: dict[str, str]

    def counts(self, rare_ipm: float) -> list[dict[str, float]]:
        """Return the raw counts of every text with the given rare-word threshold."""
        return [scan(doc, hits, rare_ipm)[0] for doc, hits in self.docs]


def sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _words(text: str) -> int:
    """Return a rough word count."""
    return len(_NORM.sub(" ", text).split())


def read_pairs(path: Path) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """Return the usable (source, simplified) pairs and how many were dropped, by reason."""
    dropped = {"identical": 0, "too_short": 0, "much_longer": 0}
    out: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            src, simple = row["INPUT:source"].strip(), row["OUTPUT:output"].strip()
            if _NORM.sub(" ", src.lower()).strip() == _NORM.sub(" ", simple.lower()).strip():
                dropped["identical"] += 1
            elif _words(simple) < MIN_OUTPUT_WORDS:
                dropped["too_short"] += 1
            elif _words(simple) > MAX_GROWTH * _words(src):
                dropped["much_longer"] += 1
            else:
                out.append((src, simple))
    return out, dropped


def load(shared: Path) -> Calibration:
    """Return the analysed calibration data from the shared data folder."""
    nlp = get_pipeline()
    texts: list[str] = []
    index: dict[str, int] = {}

    def add(text: str) -> int:
        if text not in index:
            index[text] = len(texts)
            texts.append(text)
        return index[text]

    raw_pairs, dropped = read_pairs(shared / SIMPLE_CSV)
    groups: dict[str, int] = {}
    pairs = []
    for src, simple in raw_pairs:
        g = groups.setdefault(src, len(groups))
        pairs.append((add(src), add(simple), g))
    posts, labels = [], []
    with open(shared / POSTS, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            posts.append(add(rec["text"]))
            labels.append(int(rec["labels"]["officialese"]))
    docs = []
    for t in texts:
        doc = nlp.analyse(t)
        docs.append((doc, find_kantselyarit(doc)))
    hashes = {str(p): sha256(shared / p) for p in (SIMPLE_CSV, POSTS)}
    return Calibration(docs, pairs, posts, labels, dropped, hashes)
