"""Train, cross-validate and save the usefulness and rubric models (one artifact, models/text/).

    python -m training.train_text_models [--data FILE ...] [--replace] [--shared DIR]
                                         [--models-dir DIR] [--fast]

Both models are `Pipeline([("features", PostFeatures), ("model", linear)])`. Training is a
procedure: pick the block weights and the regularisation from `CONFIG["grid"]` by grouped CV
(`inner_folds`), then fit the pick on all posts. Its quality is measured by nested CV: the posts
are split into `folds` outer parts grouped by near-duplicate clusters (training/dedup.py, so
templated posts never sit on both sides), and for each outer part the whole procedure (the grid
search included) runs on the other parts only and is scored on the held-out part. The outer
figure is the headline; the inner figure (the pick's own CV score on all posts, where the grid
was searched on the very folds it is scored on) is optimistic and is shown beside it.

The feature blocks themselves and the centre of the grid were chosen earlier by ~100 variants
on the same 960 posts (training/rubric_experiments.py); nesting removes the optimism of the grid
search, not of those choices: every post of the outer parts was seen by those experiments.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.stats import spearmanr
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from service.models import FORMAT_VERSION, TEXT_MODEL
from service.models.features import PostFeatures, PostRecord
from service.models.text_model import SCALE, TextModels
from service.settings import get_settings
from training.dataset import (
    Example,
    data_files,
    facts_extractor,
    load_examples,
    sha256_file,
    to_record,
)
from training.dedup import near_duplicate_groups
from training.model_card import environment, git_revision, write_card

# The centre of the grid (and the model of `--fast`) was tuned by grouped 5-fold CV on
# gosposts/train.jsonl; the rubric variants tried and their figures are in
# training/rubric_experiments.py. The grid around it is searched afresh at every training.
CONFIG: dict[str, Any] = {
    "usefulness": {"blocks": ["terms", "meta", "surface", "grammar", "signals", "facts"],
                   "weights": {"meta": 0.3, "surface": 0.3, "grammar": 0.3, "signals": 0.3,
                               "facts": 0.3},
                   "min_df": 2, "alpha": 0.3},
    "rubric": {"blocks": ["terms", "lead", "topics", "meta", "grammar", "facts", "vectors"],
               "weights": {"lead": 0.5, "topics": 0.1, "meta": 0.2, "facts": 0.1,
                           "vectors": 0.7},
               "min_df": 2, "C": 30.0, "class_weight": "balanced"},
    # Searched by grouped CV inside every outer training part and, for the shipped model, on
    # all posts. usefulness: every block but the lemma TF-IDF at one weight ("*") x Ridge alpha;
    # rubric: the centre and one knob moved at a time (word vectors, lead) x LR C.
    "grid": {
        "usefulness": {"weights": [{"*": 0.1}, {"*": 0.3}, {"*": 1.0}],
                       "alpha": [0.1, 0.3, 1.0, 3.0]},
        "rubric": {"weights": [{}, {"vectors": 0.5}, {"vectors": 1.0}, {"lead": 0.3},
                               {"lead": 0.7}],
                   "C": [10.0, 30.0, 100.0]},
    },
    "folds": 5,  # outer folds of the nested CV (0: no CV, no grid search: `--fast`)
    "inner_folds": 5,  # the grid search's grouped CV
    "repeats": 3,  # outer splits (seeds 0, 1, ...); the headline is their mean
    "max_terms": 40_000,
}
FAST = {**CONFIG, "folds": 0}  # tests: no cross-validation, the centre of the grid
JOBS = max(1, min(2, os.cpu_count() or 1))  # worker processes of the grid search
METRICS_DEFINED = {
    "usefulness.spearman": "nested CV: mean over `repeats` outer splits of the out-of-fold "
                           "Spearman; the grid search ran inside each outer training part",
    "usefulness.spearman_inner": "the shipped pick's CV Spearman on all posts, on the folds the "
                                 "grid was searched on (optimistic)",
    "rubric.accuracy_repeated": "nested CV: out-of-fold accuracy of each outer split (the "
                                "headline is their mean, `accuracy_nested`)",
    "rubric.accuracy": "the shipped pick's CV accuracy on all posts, on the folds the grid was "
                       "searched on (optimistic)",
    "rubric.top2_accuracy, recall, baselines, usefulness.mae_points": "nested CV, outer folds, "
                                                                     "pooled over the splits",
    "grid_scores_all_posts": "every candidate's CV score in the search on all posts",
    "picks_of_outer_parts, inner_of_outer_parts": "each outer training part's pick and its "
                                                  "inner CV score there",
}


def usefulness_pipeline(cfg: dict[str, Any], facts: bool) -> Pipeline:
    """Return the unfitted usefulness pipeline (facts block only when facts are available)."""
    c = cfg["usefulness"]
    blocks = tuple(b for b in c["blocks"] if facts or b != "facts")
    return Pipeline([("features", PostFeatures(blocks, c["min_df"], cfg["max_terms"],
                                               dict(c["weights"]))),
                     ("model", Ridge(alpha=c["alpha"]))])


def rubric_pipeline(cfg: dict[str, Any], facts: bool) -> Pipeline:
    """Return the unfitted rubric pipeline."""
    c = cfg["rubric"]
    blocks = tuple(b for b in c["blocks"] if facts or b != "facts")
    return Pipeline([("features", PostFeatures(blocks, c["min_df"], cfg["max_terms"],
                                               dict(c["weights"]))),
                     ("model", LogisticRegression(C=c["C"], max_iter=3000,
                                                  class_weight=c.get("class_weight")))])


def digit_count(text: str) -> int:
    """Return the number of digits: the trivial usefulness baseline (dates, times, phones)."""
    return sum(ch.isdigit() for ch in text)


# ---- the grid ---------------------------------------------------------------------------------

def candidates(cfg: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """Return the model configs of the grid of `kind` ("usefulness" or "rubric"); the centre
    (`cfg[kind]`) first, so a tie keeps it."""
    base = cfg[kind]
    grid = (cfg.get("grid") or {}).get(kind) or {}
    out = [dict(base)]
    for w in grid.get("weights", [{}]):
        if "*" in w:
            weights = {b: w["*"] for b in base["blocks"] if b != "terms"}
        else:
            weights = {**base["weights"], **w}
        for v in grid.get("C" if kind == "rubric" else "alpha", [None]):
            key = "C" if kind == "rubric" else "alpha"
            c = {**base, "weights": weights, key: base[key] if v is None else v}
            if c not in out:
                out.append(c)
    return out


def short(c: dict[str, Any]) -> str:
    """Return a one-line name of a model config of the grid."""
    key = "C" if "C" in c else "alpha"
    w = ", ".join(f"{k} {v:g}" for k, v in sorted(c["weights"].items()))
    return f"{key}={c[key]:g}; {w}"


def _splits(strata: np.ndarray | None, groups: np.ndarray, k: int,
            seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return k grouped train/test splits (stratified by `strata` when every stratum has k
    members), shuffled by `seed`."""
    n = len(groups)
    if strata is not None and min(Counter(strata.tolist()).values()) >= k:
        cv: Any = StratifiedGroupKFold(k, shuffle=True, random_state=seed)
        return [(tr, te) for tr, te in cv.split(np.zeros(n), strata, groups)]
    cv = GroupKFold(k, shuffle=True, random_state=seed)
    return [(tr, te) for tr, te in cv.split(np.zeros(n), None, groups)]


def _unit_features(recs: np.ndarray, tr: np.ndarray, te: np.ndarray, blocks: tuple[str, ...],
                   cfg: dict[str, Any], min_df: int) -> tuple[Any, Any, dict[str, Any]]:
    """Return the train and test matrices of a split with every block at weight 1, and the
    blocks' column ranges: a candidate's matrix is a column scaling of it (exactly what
    `PostFeatures` with its weights gives)."""
    f = PostFeatures(blocks, min_df, cfg["max_terms"], None).fit(list(recs[tr]))
    xtr, xte = f.transform(list(recs[tr])), f.transform(list(recs[te]))
    for r in recs:  # this split's block rows are not needed again: keep memory flat
        r.block_rows.clear()
    return xtr, xte, dict(f.offsets_)


def _scaled(x: Any, offsets: dict[str, tuple[int, int]], weights: dict[str, float]) -> Any:
    w = np.ones(x.shape[1])
    for name, (a, b) in offsets.items():
        w[a:b] = weights.get(name, 1.0)
    return (x @ sp.diags(w)).tocsr()


def _grid_task(kind: str, xtr: Any, ytr: np.ndarray, xte: Any, offsets: dict[str, Any],
               cands: list[dict[str, Any]], proba: bool = False) -> list[np.ndarray]:
    """Return the test predictions of every candidate fitted on one split (a worker's job).

    The rubric's C path runs from strong to weak regularisation with warm starts (the next
    weights start from the last ones' solution); one BLAS thread: L-BFGS with threaded BLAS on
    ~160k coefficients is several times slower."""
    out: list[Any] = [None] * len(cands)
    by_weights: dict[str, list[int]] = {}
    for i, c in enumerate(cands):
        by_weights.setdefault(json.dumps(c["weights"], sort_keys=True), []).append(i)
    start: tuple[np.ndarray, np.ndarray] | None = None
    with threadpool_limits(1):
        for ids in by_weights.values():
            a, b = _scaled(xtr, offsets, cands[ids[0]]["weights"]), _scaled(
                xte, offsets, cands[ids[0]]["weights"])
            if kind == "usefulness":
                for i in ids:
                    out[i] = np.clip(SCALE * Ridge(alpha=cands[i]["alpha"]).fit(a, ytr)
                                     .predict(b), 0, 100)
                continue
            if len(set(ytr.tolist())) < 2:  # a tiny training part with one rubric
                only = np.asarray([ytr[0]], dtype=object)
                for i in ids:
                    out[i] = ((only, np.ones((b.shape[0], 1))) if proba
                              else np.full(b.shape[0], ytr[0], dtype=object))
                continue
            m = LogisticRegression(max_iter=3000, warm_start=True)
            if start is not None:  # the previous weights' solution at the smallest C
                m.coef_, m.intercept_ = start[0].copy(), start[1].copy()
            for n, i in enumerate(sorted(ids, key=lambda j: cands[j]["C"])):
                m.set_params(C=cands[i]["C"], class_weight=cands[i].get("class_weight"))
                m.fit(a, ytr)
                if n == 0:
                    start = (m.coef_.copy(), m.intercept_.copy())
                out[i] = (m.classes_, m.predict_proba(b)) if proba else m.predict(b)
    return out


def _score(kind: str, pred: np.ndarray, y: np.ndarray) -> float:
    if kind == "usefulness":
        rho = spearmanr(pred, y)[0]
        return float(rho) if rho == rho else -1.0
    return float(np.mean(pred == y))


def _run(tasks: Iterable[tuple]) -> list[Any]:
    """Return the results of `_grid_task` calls in order, on JOBS worker processes (the
    tasks are built lazily, so the features of the next split are computed meanwhile)."""
    if JOBS > 1:
        from joblib import Parallel, delayed

        return list(Parallel(n_jobs=JOBS)(delayed(_grid_task)(*t) for t in tasks))
    return [_grid_task(*t) for t in tasks]


def nested(kind: str, recs: np.ndarray, y: np.ndarray, groups: np.ndarray,
           cfg: dict[str, Any], facts: bool) -> dict[str, Any]:
    """Return the grid search on all posts and the nested CV of the whole procedure.

    {"pick": config chosen on all posts, "inner": its CV score there, "outer": [per split
    out-of-fold predictions], "splits": [[(train, test), ...] per split], "picks": per outer
    part}. Rubric predictions are (classes, probabilities) per outer part."""
    cands = candidates(cfg, kind)
    blocks = tuple(b for b in cfg[kind]["blocks"] if facts or b != "facts")
    min_df = cfg[kind]["min_df"]
    strata = y if kind == "rubric" else y.astype(int)
    k_in = cfg["inner_folds"]

    def search(idx: np.ndarray, seed: int) -> Iterator[tuple]:
        for tr, te in _splits(strata[idx], groups[idx], k_in, seed):
            xtr, xte, off = _unit_features(recs, idx[tr], idx[te], blocks, cfg, min_df)
            yield (kind, xtr, y[idx[tr]], xte, off, cands), idx[te]

    everything = np.arange(len(y))
    outer_splits = [_splits(strata, groups, cfg["folds"], seed) for seed in range(cfg["repeats"])]
    # all inner searches of all outer parts (and the one on all posts) go to the workers at once
    searches: list[np.ndarray] = [everything] + [everything[tr] for sp_ in outer_splits
                                                 for tr, _ in sp_]
    plan: list[tuple[int, np.ndarray]] = []  # (search, test rows) of each job, in order

    def jobs() -> Iterator[tuple]:
        for s, idx in enumerate(searches):
            for job, te in search(idx, 1000 + s):
                plan.append((s, te))
                yield job

    results = _run(jobs())
    picks, inner, grid_scores = [], [], []
    for s, idx in enumerate(searches):
        mine = [r for r, (t, _) in zip(results, plan, strict=True) if t == s]
        tests = [te for t, te in plan if t == s]
        pred = [np.empty(len(y), dtype=y.dtype if kind == "rubric" else float) for _ in cands]
        for res, te in zip(mine, tests, strict=True):
            for c, p in enumerate(res):
                pred[c][te] = p
        scores = [_score(kind, p[idx], y[idx]) for p in pred]
        best = int(np.argmax(scores))  # the first maximum: the centre wins a tie
        picks.append(best)
        inner.append(scores[best])
        grid_scores.append(scores)
    # the outer parts: the pick of their own search, fitted on their training part
    where: list[tuple[int, np.ndarray]] = []

    def outer_jobs() -> Iterator[tuple]:
        for r, sp_ in enumerate(outer_splits):
            for f, (tr, te) in enumerate(sp_):
                c = cands[picks[1 + r * cfg["folds"] + f]]
                xtr, xte, off = _unit_features(recs, tr, te, blocks, cfg, min_df)
                where.append((r, te))
                yield (kind, xtr, y[tr], xte, off, [c], kind == "rubric")

    outer: list[list[tuple[np.ndarray, Any]]] = [[] for _ in outer_splits]
    got = _run(outer_jobs())
    for res, (r, te) in zip(got, where, strict=True):
        outer[r].append((te, res[0]))
    return {"pick": cands[picks[0]], "inner": inner[0], "outer": outer,
            "splits": outer_splits, "picks": [short(cands[i]) for i in picks[1:]],
            "inner_of_outer": inner[1:], "candidates": len(cands),
            "grid_scores": {short(c): round(x, 3) for c, x in zip(cands, grid_scores[0],
                                                                  strict=True)}}


def cross_validate(examples: Sequence[Example], records: Sequence[PostRecord],
                   cfg: dict[str, Any], facts: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (metrics of the nested CV next to trivial baselines, the shipped config: the
    grid's picks on all posts)."""
    groups = np.asarray(near_duplicate_groups([e.text for e in examples]))
    out: dict[str, Any] = {"folds": cfg["folds"], "inner_folds": cfg["inner_folds"],
                           "repeats": cfg["repeats"], "posts": len(examples),
                           "near_duplicate_groups": int(len(set(groups.tolist()))),
                           "defined": METRICS_DEFINED}
    shipped = dict(cfg)
    recs = np.asarray(records, dtype=object)
    need = cfg["folds"] * cfg["inner_folds"]
    idx_u = np.asarray([i for i, e in enumerate(examples) if e.usefulness is not None])
    if len(idx_u) and len(set(groups[idx_u].tolist())) >= need:
        y = np.asarray([examples[i].usefulness for i in idx_u], dtype=float)
        res = nested("usefulness", recs[idx_u], y, groups[idx_u], cfg, facts)
        shipped["usefulness"] = res["pick"]
        rhos, maes = [], []
        for parts in res["outer"]:
            pred = np.zeros(len(y))
            for te, p in parts:
                pred[te] = p
            rhos.append(float(spearmanr(pred, y)[0]))
            maes.append(float(np.mean(np.abs(pred - SCALE * y))))
        base = [digit_count(examples[i].text) for i in idx_u]
        out["usefulness"] = {
            "spearman": round(float(np.mean(rhos)), 3),
            "spearman_repeated": [round(x, 3) for x in rhos],
            "spearman_inner": round(res["inner"], 3),
            "baseline_digits_spearman": round(float(spearmanr(base, y)[0]), 3),
            "mae_points": round(float(np.mean(maes)), 1),
            "n": int(len(idx_u)),
            "pick": short(res["pick"]),
            "picks_of_outer_parts": res["picks"],
            "inner_of_outer_parts": [round(x, 3) for x in res["inner_of_outer"]],
            "candidates": res["candidates"],
            "grid_scores_all_posts": res["grid_scores"],
        }
    idx_r = np.asarray([i for i, e in enumerate(examples) if e.rubric is not None])
    if len(idx_r) and len(set(groups[idx_r].tolist())) >= need and \
            len({examples[i].rubric for i in idx_r}) >= 2:
        r = np.asarray([examples[i].rubric for i in idx_r], dtype=object)
        res = nested("rubric", recs[idx_r], r, groups[idx_r], cfg, facts)
        shipped["rubric"] = res["pick"]
        accs = []
        top2, hits, major, by_page = [], [], [], []
        for parts, splits in zip(res["outer"], res["splits"], strict=True):
            top1 = np.empty(len(r), dtype=object)
            for (te, (cls, proba)), (tr, _) in zip(parts, splits, strict=True):
                order = np.argsort(-proba, axis=1)
                top1[te] = cls[order[:, 0]]
                second = cls[order[:, 1]] if proba.shape[1] > 1 else cls[order[:, 0]]
                top2.extend(((cls[order[:, 0]] == r[te]) | (second == r[te])).tolist())
                counts = Counter(r[tr].tolist())
                major.extend((r[te] == counts.most_common(1)[0][0]).tolist())
                page_major: dict[Any, Counter[str]] = {}
                for i in tr:
                    page_major.setdefault(recs[idx_r[i]].page_type, Counter())[r[i]] += 1
                for i in te:
                    c = page_major.get(recs[idx_r[i]].page_type) or counts
                    by_page.append(c.most_common(1)[0][0] == r[i])
            accs.append(float(np.mean(top1 == r)))
            hits.append(top1 == r)
        hit = np.concatenate(hits)
        rr = np.concatenate([r] * len(hits))
        out["rubric"] = {
            "accuracy_nested": round(float(np.mean(accs)), 3),
            "accuracy_repeated": [round(x, 3) for x in accs],
            "accuracy": round(res["inner"], 3),
            "top2_accuracy": round(float(np.mean(top2)), 3),
            "baseline_majority_accuracy": round(float(np.mean(major)), 3),
            "baseline_page_type_accuracy": round(float(np.mean(by_page)), 3),
            "recall": {str(c): round(float(np.mean(hit[rr == c])), 3)
                       for c in sorted(set(r.tolist()))},
            "n": int(len(idx_r)),
            "pick": short(res["pick"]),
            "picks_of_outer_parts": res["picks"],
            "inner_of_outer_parts": [round(x, 3) for x in res["inner_of_outer"]],
            "candidates": res["candidates"],
            "grid_scores_all_posts": res["grid_scores"],
        }
    return out, shipped


def fit(examples: Sequence[Example], records: Sequence[PostRecord], cfg: dict[str, Any],
        facts: bool) -> TextModels:
    """Return both models fitted on all labelled examples."""
    iu = [i for i, e in enumerate(examples) if e.usefulness is not None]
    ir = [i for i, e in enumerate(examples) if e.rubric is not None]
    if len(iu) < 2 or len({examples[i].rubric for i in ir}) < 2:
        raise ValueError("too few labelled posts: need usefulness and at least two rubrics")
    use = usefulness_pipeline(cfg, facts).fit([records[i] for i in iu],
                                              np.asarray([examples[i].usefulness for i in iu],
                                                         dtype=float))
    rub = rubric_pipeline(cfg, facts).fit([records[i] for i in ir],
                                          np.asarray([examples[i].rubric for i in ir]))
    return TextModels(use, rub)


def version_id(created: datetime, data: list[dict[str, str]], cfg: dict[str, Any],
               revision: str) -> str:
    """Return the artifact version: creation time plus a hash of data, config and code."""
    h = hashlib.sha256(json.dumps([data, cfg, revision, FORMAT_VERSION], sort_keys=True)
                       .encode()).hexdigest()[:8]
    return f"{created:%Y%m%d-%H%M%S}-{h}"


def save(models: TextModels, models_dir: Path, files: list[Path], metrics: dict[str, Any],
         cfg: dict[str, Any], facts: bool, n_examples: int) -> Path:
    """Write model.joblib, meta.json and MODEL_CARD.md to a new version directory."""
    import joblib

    created = datetime.now(UTC).replace(microsecond=0)
    data = [{"file": f.name, "sha256": sha256_file(f), "rows": _rows(f)} for f in files]
    revision = git_revision()
    version = version_id(created, data, cfg, revision)
    out = models_dir / TEXT_MODEL / version
    out.mkdir(parents=True, exist_ok=False)
    models.version = version
    joblib.dump(models, out / "model.joblib", compress=3)
    meta = {
        "name": TEXT_MODEL, "format_version": FORMAT_VERSION, "version": version,
        "created": created.isoformat(), "code_revision": revision, "data": data,
        "examples": n_examples, "facts": facts, "config": cfg, "metrics": metrics,
        "model_sha256": sha256_file(out / "model.joblib"), **environment(),
    }
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                   encoding="utf-8")
    write_card(out / "MODEL_CARD.md", meta, (out / "model.joblib").stat().st_size)
    return out


def _rows(path: Path) -> int:
    with open(path, encoding="utf-8") as fh:
        return sum(1 for line in fh if line.strip())


def train(data: Sequence[str] | None = None, replace: bool = False, shared: str | None = None,
          models_dir: str | Path | None = None, cfg: dict[str, Any] | None = None,
          log: Any = print) -> Path:
    """Build the dataset, run the nested CV and the grid search, fit and save a new version;
    return its directory."""
    cfg = cfg or CONFIG
    t0 = time.perf_counter()
    files = data_files(shared, data, replace)
    examples = load_examples(files)
    extract = facts_extractor()
    log(f"Данные: {len(examples)} размеченных постов из {len(files)} файлов"
        f"{'' if extract else ' (модуль фактов не найден: обучаю без фактов)'}.")
    records = [to_record(e.post, extract) for e in examples]
    metrics: dict[str, Any] = {}
    shipped = cfg
    if cfg["folds"]:
        metrics, shipped = cross_validate(examples, records, cfg, extract is not None)
        log_metrics(metrics, cfg, log)
    with threadpool_limits(1):
        models = fit(examples, records, shipped, extract is not None)
    out = save(models, Path(models_dir or get_settings().models_dir), files, metrics, shipped,
               extract is not None, len(examples))
    log(f"Новая версия модели: {out.name} ({out}), за {time.perf_counter() - t0:.0f} с.")
    return out


def log_metrics(metrics: dict[str, Any], cfg: dict[str, Any], log: Any = print) -> None:
    """Print the nested (outer) figures first, the inner ones beside them."""
    u, r = metrics.get("usefulness", {}), metrics.get("rubric", {})
    k, ki, n = cfg["folds"], cfg["inner_folds"], cfg["repeats"]
    if not u and not r:
        log(f"Вложенная перекрёстная проверка пропущена: мало постов или групп почти-дублей "
            f"(нужно хотя бы {k * ki}); модель обучена с настройками по умолчанию.")
        return
    log(f"Вложенная перекрёстная проверка ({k} внешних блоков x {n} разбиения, без почти-дублей "
        f"по обе стороны; сетка настроек подбирается {ki}-блочной проверкой только на "
        "обучающей части каждого внешнего блока):")
    if u:
        log(f"  польза — Спирмен {u['spearman']:.3f} на внешних блоках "
            f"({', '.join(f'{x:.3f}' for x in u['spearman_repeated'])}); внутренняя оценка "
            f"выбранных настроек {u['spearman_inner']:.3f} (может быть завышена: сетка выбрана "
            f"на тех же блоках); база по цифрам {u['baseline_digits_spearman']:.3f}; "
            f"выбрано: {u['pick']}.")
    else:
        log("  польза — мало постов с оценкой пользы для вложенной проверки: без метрик.")
    if r:
        log(f"  рубрика — точность {r['accuracy_nested']:.3f} на внешних блоках "
            f"({', '.join(f'{x:.3f}' for x in r['accuracy_repeated'])}), топ-2 "
            f"{r['top2_accuracy']:.3f}; внутренняя оценка выбранных настроек {r['accuracy']:.3f} "
            f"(может быть завышена); база {r['baseline_majority_accuracy']:.3f}, по типу страницы "
            f"{r['baseline_page_type_accuracy']:.3f}; выбрано: {r['pick']}.")
    else:
        log("  рубрика — мало постов с рубрикой для вложенной проверки: без метрик.")


def main(argv: Sequence[str] | None = None) -> int:
    """Run training from the command line; return the exit code."""
    p = argparse.ArgumentParser(description="обучить модели пользы и рубрик")
    p.add_argument("--data", action="append", default=None)
    p.add_argument("--replace", action="store_true")
    p.add_argument("--shared", default=None)
    p.add_argument("--models-dir", default=None)
    p.add_argument("--fast", action="store_true", help="без кросс-валидации")
    a = p.parse_args(argv)
    train(a.data, a.replace, a.shared, a.models_dir, FAST if a.fast else CONFIG)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
