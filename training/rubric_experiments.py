"""Compare rubric classifiers by repeated grouped CV (a record of what was tried, not shipped).

    python -m training.rubric_experiments [--shared DIR] [--seeds 3] [--navec FILE.tar]

Every variant is fitted inside the training folds only; folds are StratifiedGroupKFold over
near-duplicate clusters, reshuffled per seed, so the figures are out-of-fold. `--navec` takes
navec_news_v1_1B_250K_300d_100q.tar (shipped inside the `natasha` wheel, MIT) and adds the
mean navec vector of the post's lemmas; it needs the `navec` package, which is not a dependency.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.svm import LinearSVC

from service.models.features import PostFeatures, PostRecord
from training.dataset import data_files, facts_extractor, load_examples, to_record
from training.dedup import near_duplicate_groups
from training.train_text_models import CONFIG

ALL = ("terms", "meta", "grammar", "facts", "surface", "signals")
ALL_W = {"meta": 0.1, "facts": 0.1, "surface": 0.1, "signals": 0.1}


def mean_vectors(records: Sequence[PostRecord], table: dict[str, np.ndarray]) -> sp.csr_matrix:
    """Return the L2-normalised mean word vector of each record's lemmas."""
    out = np.zeros((len(records), 300))
    for k, r in enumerate(records):
        vs = [table[t] for t in r.terms if t in table]
        if vs:
            v = np.sum(vs, axis=0)
            out[k] = v / (np.linalg.norm(v) or 1.0)
    return sp.csr_matrix(out)


def navec_table(path: str, records: Sequence[PostRecord]) -> dict[str, np.ndarray]:
    """Return navec vectors of the lemmas in the records (ё folded to е)."""
    from navec import Navec  # optional: only for this experiment

    nv = Navec.load(path)
    lemmas = {t for r in records for t in r.terms if " " not in t and not t.startswith("<")}
    return {t: nv[t.replace("ё", "е")] for t in lemmas if t.replace("ё", "е") in nv}


def variants(texts: Sequence[str], table: dict[str, np.ndarray] | None) -> dict[str, Callable]:
    """Return name -> fit_predict(train_records, train_y, test_records, tr, te) functions."""
    rub = CONFIG["rubric"]

    def words(blocks: Sequence[str], weights: dict[str, float], model: Any, extra: str = "",
              ew: float = 1.0) -> Callable:
        def run(rtr: list, ytr: np.ndarray, rte: list, tr: np.ndarray, te: np.ndarray) -> Any:
            f = PostFeatures(tuple(blocks), rub["min_df"], CONFIG["max_terms"], dict(weights))
            xtr, xte = f.fit(rtr).transform(rtr), f.transform(rte)
            if extra == "char":
                v = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                    sublinear_tf=True)
                xtr = sp.hstack([xtr, v.fit_transform([texts[i] for i in tr])]).tocsr()
                xte = sp.hstack([xte, v.transform([texts[i] for i in te])]).tocsr()
            if extra == "navec" and table is not None:
                xtr = sp.hstack([xtr, ew * mean_vectors(rtr, table)]).tocsr()
                xte = sp.hstack([xte, ew * mean_vectors(rte, table)]).tocsr()
            return model().fit(xtr, ytr).predict(xte)
        return run

    def lr(c: float, cw: Any = None) -> Callable:
        return lambda: LogisticRegression(C=c, max_iter=3000, class_weight=cw)

    out = {
        "shipped: LR C=30, terms+meta+grammar+facts": words(rub["blocks"], rub["weights"],
                                                            lr(rub["C"])),
        "LR balanced": words(rub["blocks"], rub["weights"], lr(rub["C"], "balanced")),
        "LR + char_wb 2-5": words(rub["blocks"], rub["weights"], lr(rub["C"]), "char"),
        "LinearSVC C=0.5, all blocks": words(ALL, ALL_W, lambda: LinearSVC(C=0.5)),
    }
    if table is not None:
        out["LinearSVC C=1, all blocks + navec"] = words(ALL, ALL_W, lambda: LinearSVC(C=1.0),
                                                         "navec")
        out["LR C=30, all blocks + navec/2"] = words(ALL, ALL_W, lr(30.0), "navec", 0.5)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Print the out-of-fold rubric accuracy of each variant per seed; return 0."""
    p = argparse.ArgumentParser(description="сравнить классификаторы рубрик")
    p.add_argument("--shared", default=None)
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--navec", default=None)
    a = p.parse_args(argv)
    examples = [e for e in load_examples(data_files(a.shared, None, False)) if e.rubric]
    extract = facts_extractor()
    records = [to_record(e.post, extract) for e in examples]
    y = np.asarray([e.rubric for e in examples], dtype=object)
    groups = np.asarray(near_duplicate_groups([e.text for e in examples]))
    texts = [e.text.lower().replace("ё", "е") for e in examples]
    table = navec_table(a.navec, records) if a.navec else None
    recs = np.asarray(records, dtype=object)
    for name, run in variants(texts, table).items():
        accs = []
        for seed in range(a.seeds):
            pred = np.empty(len(y), dtype=object)
            cv = StratifiedGroupKFold(CONFIG["folds"], shuffle=True, random_state=seed)
            for tr, te in cv.split(recs, y, groups):
                pred[te] = run(list(recs[tr]), y[tr], list(recs[te]), tr, te)
            accs.append(float(np.mean(pred == y)))
        print(f"{name}: {np.mean(accs):.3f} ({', '.join(f'{x:.3f}' for x in accs)})",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
