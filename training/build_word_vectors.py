"""Build the small word-vector table of the rubric model (models/vectors/) from navec.

    python -m training.build_word_vectors --navec navec_news_v1_1B_250K_300d_100q.tar
                                          [--shared DIR] [--top 30000] [--dims 100]
                                          [--no-train] [--corpus-min-posts N]

navec (MIT, the natasha project) ships `navec_news_v1_1B_250K_300d_100q.tar` inside the
`natasha` wheel; reading it needs the `navec` package at training time only. The service reads
the table written here (`service.models.features.load_word_vectors`) and never imports navec.

Vocabulary: the lemmas of the labelled posts (as the service lemmatises them) plus the `--top`
most frequent lemmas of lexicons/frequency/freqrnc2011.tsv, ё folded, kept when navec knows them.
`--no-train` leaves out the labelled posts' words (a table that cannot flatter cross-validation:
rubric accuracy 0.798 over 5 shuffled splits, 0.799 with `--top 60000 --corpus-min-posts 2`,
which adds the lemmas of tg_news_posts.csv, CC BY 4.0; the shipped table gives 0.800).
Compression: an orthonormal projection onto the top `--dims` right singular vectors of the
table (uncentred SVD, so the projection of a sum is the sum of projections), stored as float16.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from service.models.features import VECTORS_FILE
from training.dataset import REPO_ROOT, data_files, default_shared, load_examples, to_record

SOURCE = "navec_news_v1_1B_250K_300d_100q"


def train_lemmas(files: Iterable[Path]) -> set[str]:
    """Return the lemma unigrams of the labelled posts (terms, lead and hashtag words)."""
    out: set[str] = set()
    for ex in load_examples(files):
        r = to_record(ex.post)
        out.update(t for t in (*r.terms, *r.tags) if _word(t))
    return out


def corpus_lemmas(path: Path, min_posts: int) -> set[str]:
    """Return the lemmas used in at least `min_posts` posts of corpora/tg_news_posts.csv."""
    from collections import Counter

    from service.nlp.morph import get_morph
    from service.nlp.tokenize import tokenize

    analyse = get_morph().analyse
    n_posts: Counter[str] = Counter()
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = row["text"]
            n_posts.update({analyse(text[s:e].lower()).lemma
                            for kind, s, e in tokenize(text) if kind == "word"})
    return {w for w, n in n_posts.items() if n >= min_posts and _word(w)}


def frequent_lemmas(path: Path, top: int) -> list[str]:
    """Return the `top` most frequent lemmas of freqrnc2011.tsv (lower case, ё folded)."""
    ipm: dict[str, float] = {}
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            lemma = row["Lemma"].strip().lower().replace("ё", "е")
            if _word(lemma):
                ipm[lemma] = ipm.get(lemma, 0.0) + float(row["Freq(ipm)"])
    return sorted(ipm, key=lambda w: (-ipm[w], w))[:top]


def _word(t: str) -> bool:
    return bool(t) and " " not in t and not t.startswith(("<", "#")) and t[0].isalpha()


def project(vectors: np.ndarray, dims: int) -> tuple[np.ndarray, float]:
    """Return the vectors projected on their top `dims` right singular vectors (uncentred) and
    the share of the squared norm kept."""
    if dims >= vectors.shape[1]:
        return vectors, 1.0
    _, s, vt = np.linalg.svd(vectors.astype(np.float64), full_matrices=False)
    kept = float((s[:dims] ** 2).sum() / (s ** 2).sum())
    return vectors @ vt[:dims].T, kept


def build(navec_path: str, words: Sequence[str], dims: int) -> tuple[list[str], np.ndarray, float]:
    """Return the words navec knows, their projected vectors (float16) and the norm share kept."""
    try:
        from navec import Navec  # training-time only
    except ImportError:
        raise SystemExit("нужен пакет navec (только для сборки таблицы): pip install navec") from None

    nv = Navec.load(navec_path)
    known = sorted({w for w in words if w in nv})
    vectors = np.stack([nv[w] for w in known]).astype(np.float32)
    projected, kept = project(vectors, dims)
    return known, projected.astype(np.float16), kept


def main(argv: Sequence[str] | None = None) -> int:
    """Write models/vectors/<name>.npz and its card; return 0."""
    p = argparse.ArgumentParser(description="собрать таблицу векторов слов для модели рубрик")
    p.add_argument("--navec", required=True, help="navec_news_v1_1B_250K_300d_100q.tar")
    p.add_argument("--shared", default=None)
    p.add_argument("--top", type=int, default=30_000, help="сколько частых лемм НКРЯ взять")
    p.add_argument("--dims", type=int, default=100)
    p.add_argument("--corpus-min-posts", type=int, default=0,
                   help="взять и леммы из стольких постов corpora/tg_news_posts.csv (0 — нет)")
    p.add_argument("--no-train", action="store_true",
                   help="не брать слова размеченных постов (честная оценка на кросс-валидации)")
    p.add_argument("--out", default=str(REPO_ROOT / "models" / "vectors" / VECTORS_FILE))
    a = p.parse_args(argv)
    shared = Path(a.shared) if a.shared else default_shared()
    from_train = set() if a.no_train else train_lemmas(data_files(shared, None, False))
    frequent = frequent_lemmas(shared / "lexicons" / "frequency" / "freqrnc2011.tsv", a.top)
    corpus = (corpus_lemmas(shared / "corpora" / "tg_news_posts.csv", a.corpus_min_posts)
              if a.corpus_min_posts else set())
    words, vectors, kept = build(a.navec, sorted(from_train | set(frequent) | corpus), a.dims)
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, words=np.asarray(words), vectors=vectors)
    meta = {"source": SOURCE, "words": len(words), "dims": int(vectors.shape[1]),
            "train_lemmas": len(from_train), "train_lemmas_known": len(from_train & set(words)),
            "frequent_lemmas": len(frequent), "corpus_lemmas": len(corpus),
            "corpus_min_posts": a.corpus_min_posts, "norm_share_kept": round(kept, 3),
            "sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
            "size_bytes": out.stat().st_size}
    out.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
    print(f"Таблица векторов: {out} — {len(words)} слов, {vectors.shape[1]} измерений, "
          f"{out.stat().st_size / 1e6:.1f} МБ, сохранено {kept:.0%} квадрата нормы.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
