"""Calibration data for readability: several real sources, each a set of ordered comparisons.

Every source says, for pairs of texts, which one is harder for a reader:
- `simple_sentences` — RuSimpleSentEval dev (Dialogue-2021): a Wikipedia sentence is harder
  than its crowd-simplified version. No license: fit and check only, no text shipped.
- `adapted_paragraphs` — RuAdapt (MIT): an original paragraph (encyclopedia, fairy tales) is
  harder than its version adapted for learners; the CEFR level of each side is a known grade.
- `rated_sentences` — ReadMe++ ru (MIT): sentences of 17 domains rated 1–6 (CEFR) by people;
  a higher rating is harder (every pair of different ratings).
- `official_vs_resident` — St Petersburg portal (no license: fit and check only): a city
  administration's answer is harder than the resident's message it answers (a weak label).
- `posts_officialese` — our annotated posts (gosposts/train.jsonl, ours): a post labelled with
  more officialese (0–2) is harder.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from service.nlp import get_pipeline
from service.officialese import find_kantselyarit
from service.readability import scan

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO.parent / "shared" / "data"
SIMPLE_CSV = Path("readability") / "rusimplesenteval_dev.csv"
ADAPT_CSV = Path("readability") / "ruadapt_par_train.csv"
README_CSV = Path("readability") / "readmepp_ru_train_val.csv"
SPB_CSV = Path("readability") / "spb_official_vs_resident_train.csv"
POSTS = Path("gosposts") / "train.jsonl"
MIN_OUTPUT_WORDS = 3  # «.» or «Разновидности математики» is not a simplification
MAX_GROWTH = 1.5  # an output 1.5× longer than its source is a rewrite, not a simplification
ADAPT_MIN_SIMILARITY = 0.3  # below this the aligner paired unrelated paragraphs (training only)
CEFR = {"A1": 1.0, "A2": 2.0, "B1": 3.0, "B2": 4.0, "C1": 5.0, "C2": 6.0,
        "A": 1.5, "B": 3.5, "C": 5.5}
_NORM = re.compile(r"[\W_]+")
SOURCES = ("simple_sentences", "adapted_paragraphs", "rated_sentences", "official_vs_resident",
           "posts_officialese")
SOURCE_TITLES = {
    "simple_sentences": "RuSimpleSentEval: предложение и его упрощение",
    "adapted_paragraphs": "RuAdapt: абзац и его адаптация",
    "rated_sentences": "ReadMe++ ru: оценки 1–6 (CEFR)",
    "official_vs_resident": "ответ администрации и письмо жителя",
    "posts_officialese": "наши посты: метка канцелярита 0–2",
}


@dataclass
class Source:
    """One source: ordered pairs (harder, easier, group) or ratings, over text indices."""

    name: str
    pairs: list[tuple[int, int, int]] = field(default_factory=list)
    rated: list[tuple[int, float]] = field(default_factory=list)  # (text, rating) if rated
    train_mask: list[bool] = field(default_factory=list)  # per pair: usable for fitting
    grades: list[tuple[int, float]] = field(default_factory=list)  # (text, known CEFR level)

    _pairs: np.ndarray | None = field(default=None, repr=False)

    def all_pairs(self) -> np.ndarray:
        """Return every ordered pair (harder, easier, group) as rows: the given ones, or all
        pairs of different ratings (a 1,580-sentence source has a million: built once)."""
        if self._pairs is None:
            if self.pairs:
                self._pairs = np.array(self.pairs, dtype=int).reshape(-1, 3)
            else:
                idx = np.array([i for i, _ in self.rated], dtype=int)
                r = np.array([x for _, x in self.rated])
                a, b = np.triu_indices(len(idx), 1)
                a, b = a[r[a] != r[b]], b[r[a] != r[b]]
                first_harder = r[a] > r[b]
                hard = np.where(first_harder, idx[a], idx[b])
                easy = np.where(first_harder, idx[b], idx[a])
                self._pairs = np.column_stack([hard, easy, a])
        return self._pairs

    def texts(self) -> np.ndarray:
        """Return the indices of the texts this source compares."""
        return np.unique(self.all_pairs()[:, :2])


@dataclass
class Calibration:
    """The analysed texts (Doc, officialese hits) and the sources over them."""

    docs: list
    sources: dict[str, Source]
    dropped: dict[str, int]
    hashes: dict[str, str]
    texts: list[str]

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


def _levels(level: str) -> tuple[float | None, float | None]:
    """Return the CEFR levels (original, adapted) of a RuAdapt row's `level`."""
    if "_to_" in level:
        a, b = level.split("_to_")
        return CEFR.get(a), CEFR.get(b)
    parts = [CEFR[x.strip()] for x in level.split(",") if x.strip() in CEFR]
    return None, (sum(parts) / len(parts) if parts else None)


def load(shared: Path, only: tuple[str, ...] = SOURCES) -> Calibration:
    """Return the analysed calibration data from the shared data folder."""
    texts: list[str] = []
    index: dict[str, int] = {}

    def add(text: str) -> int:
        if text not in index:
            index[text] = len(texts)
            texts.append(text)
        return index[text]

    sources: dict[str, Source] = {}
    dropped: dict[str, int] = {}
    files: list[Path] = []
    if "simple_sentences" in only:
        raw_pairs, dropped = read_pairs(shared / SIMPLE_CSV)
        groups: dict[str, int] = {}
        s = sources["simple_sentences"] = Source("simple_sentences")
        for src, simple in raw_pairs:
            g = groups.setdefault(src, len(groups))
            s.pairs.append((add(src), add(simple), g))
            s.train_mask.append(True)
        files.append(SIMPLE_CSV)
    if "adapted_paragraphs" in only:
        s = sources["adapted_paragraphs"] = Source("adapted_paragraphs")
        with open(shared / ADAPT_CSV, encoding="utf-8") as f:
            for g, row in enumerate(csv.DictReader(f)):
                orig, adapted = row["original"].strip(), row["adapted"].strip()
                if not orig or not adapted or orig == adapted:
                    dropped["adapt_identical"] = dropped.get("adapt_identical", 0) + 1
                    continue
                i, j = add(orig), add(adapted)
                s.pairs.append((i, j, g))
                s.train_mask.append(float(row["cos_sim"] or 0) >= ADAPT_MIN_SIMILARITY)
                lo, la = _levels(row["level"])
                if lo is not None:
                    s.grades.append((i, lo))
                if la is not None:
                    s.grades.append((j, la))
        files.append(ADAPT_CSV)
    if "rated_sentences" in only:
        s = sources["rated_sentences"] = Source("rated_sentences")
        with open(shared / README_CSV, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                i = add(row["sentence"].strip())
                s.rated.append((i, float(row["rating"])))
                s.grades.append((i, float(row["rating"])))
        s.train_mask = [True] * len(s.all_pairs())
        files.append(README_CSV)
    if "official_vs_resident" in only:
        s = sources["official_vs_resident"] = Source("official_vs_resident")
        with open(shared / SPB_CSV, encoding="utf-8") as f:
            for g, row in enumerate(csv.DictReader(f)):
                off, res = row["official"].strip(), row["resident"].strip()
                if off and res and off != res:
                    s.pairs.append((add(off), add(res), g))
                    s.train_mask.append(True)
        files.append(SPB_CSV)
    if "posts_officialese" in only:
        s = sources["posts_officialese"] = Source("posts_officialese")
        with open(shared / POSTS, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                s.rated.append((add(rec["text"]), float(rec["labels"]["officialese"])))
        s.train_mask = [True] * len(s.all_pairs())
        files.append(POSTS)
    nlp = get_pipeline()
    docs = []
    for t in texts:
        doc = nlp.analyse(t)
        docs.append((doc, find_kantselyarit(doc)))
    hashes = {str(p): sha256(shared / p) for p in files}
    return Calibration(docs, sources, dropped, hashes, texts)
