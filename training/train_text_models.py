"""Train, cross-validate and save the usefulness and rubric models (one artifact, models/text/).

    python -m training.train_text_models [--data FILE ...] [--replace] [--shared DIR]
                                         [--models-dir DIR] [--fast]

Both models are `Pipeline([("features", PostFeatures), ("model", linear)])`; CV is grouped by
near-duplicate clusters (training/dedup.py) so templated posts never sit on both sides.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import spearmanr
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold
from sklearn.pipeline import Pipeline

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

# Tuned by grouped 5-fold CV on gosposts/train.jsonl (see MODEL_CARD.md); the rubric variants
# tried and their figures are in training/rubric_experiments.py.
CONFIG: dict[str, Any] = {
    "usefulness": {"blocks": ["terms", "meta", "surface", "grammar", "signals", "facts"],
                   "weights": {"meta": 0.3, "surface": 0.3, "grammar": 0.3, "signals": 0.3,
                               "facts": 0.3},
                   "min_df": 2, "alpha": 0.3},
    "rubric": {"blocks": ["terms", "lead", "topics", "meta", "grammar", "facts", "vectors"],
               "weights": {"lead": 0.5, "topics": 0.1, "meta": 0.2, "facts": 0.1,
                           "vectors": 0.7},
               "min_df": 2, "C": 30.0, "class_weight": "balanced"},
    "folds": 5,
    "repeats": 5,  # the card's rubric accuracy: mean over this many shuffled stratified splits
    "max_terms": 40_000,
}
FAST = {**CONFIG, "folds": 0}  # tests: no cross-validation


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


def cross_validate(examples: Sequence[Example], records: Sequence[PostRecord],
                   cfg: dict[str, Any], facts: bool) -> dict[str, Any]:
    """Return grouped-CV metrics of both models next to trivial baselines."""
    groups = np.asarray(near_duplicate_groups([e.text for e in examples]))
    out: dict[str, Any] = {"folds": cfg["folds"], "posts": len(examples),
                           "near_duplicate_groups": int(len(set(groups.tolist())))}
    recs = np.asarray(records, dtype=object)
    idx_u = np.asarray([i for i, e in enumerate(examples) if e.usefulness is not None])
    if len(idx_u) >= cfg["folds"]:
        y = np.asarray([examples[i].usefulness for i in idx_u], dtype=float)
        pred = np.zeros(len(idx_u))
        for tr, te in GroupKFold(cfg["folds"]).split(idx_u, y, groups[idx_u]):
            p = usefulness_pipeline(cfg, facts).fit(list(recs[idx_u[tr]]), y[tr])
            pred[te] = np.clip(SCALE * p.predict(list(recs[idx_u[te]])), 0, 100)
        base = [digit_count(examples[i].text) for i in idx_u]
        out["usefulness"] = {
            "spearman": round(float(spearmanr(pred, y)[0]), 3),
            "baseline_digits_spearman": round(float(spearmanr(base, y)[0]), 3),
            "mae_points": round(float(np.mean(np.abs(pred - SCALE * y))), 1),
            "n": int(len(idx_u)),
        }
    idx_r = np.asarray([i for i, e in enumerate(examples) if e.rubric is not None])
    if len(idx_r) >= cfg["folds"]:
        r = np.asarray([examples[i].rubric for i in idx_r], dtype=object)
        top1 = np.empty(len(idx_r), dtype=object)
        top2 = np.zeros(len(idx_r), dtype=bool)
        major = np.empty(len(idx_r), dtype=object)
        by_page = np.empty(len(idx_r), dtype=object)
        for tr, te in GroupKFold(cfg["folds"]).split(idx_r, r, groups[idx_r]):
            p = rubric_pipeline(cfg, facts).fit(list(recs[idx_r[tr]]), r[tr])
            proba = p.predict_proba(list(recs[idx_r[te]]))
            order = np.argsort(-proba, axis=1)
            cls = p[-1].classes_
            top1[te] = cls[order[:, 0]]
            top2[te] = (cls[order[:, 0]] == r[te]) | (cls[order[:, 1]] == r[te])
            counts = Counter(r[tr].tolist())
            major[te] = counts.most_common(1)[0][0]
            page_major: dict[Any, Counter[str]] = {}
            for i in tr:
                page_major.setdefault(recs[idx_r[i]].page_type, Counter())[r[i]] += 1
            for i in te:
                c = page_major.get(recs[idx_r[i]].page_type) or counts
                by_page[i] = c.most_common(1)[0][0]
        out["rubric"] = {
            "accuracy": round(float(np.mean(top1 == r)), 3),
            "top2_accuracy": round(float(np.mean(top2)), 3),
            "baseline_majority_accuracy": round(float(np.mean(major == r)), 3),
            "baseline_page_type_accuracy": round(float(np.mean(by_page == r)), 3),
            "recall": {str(c): round(float(np.mean(top1[r == c] == c)), 3)
                       for c in sorted(set(r.tolist()))},
            "n": int(len(idx_r)),
        }
        repeated = repeated_rubric_accuracy(recs[idx_r], r, groups[idx_r], cfg, facts)
        if repeated:
            out["rubric"]["accuracy_repeated"] = repeated
    return out


def repeated_rubric_accuracy(recs: np.ndarray, r: np.ndarray, groups: np.ndarray,
                             cfg: dict[str, Any], facts: bool) -> list[float]:
    """Return the rubric accuracy over `cfg["repeats"]` shuffled StratifiedGroupKFold splits
    (seeds 0, 1, …; as training/rubric_experiments.py), or [] when a class is too small."""
    if min(Counter(r.tolist()).values()) < cfg["folds"]:
        return []
    out = []
    for seed in range(cfg.get("repeats", 0)):
        pred = np.empty(len(r), dtype=object)
        cv = StratifiedGroupKFold(cfg["folds"], shuffle=True, random_state=seed)
        for tr, te in cv.split(recs, r, groups):
            pred[te] = rubric_pipeline(cfg, facts).fit(list(recs[tr]), r[tr]).predict(
                list(recs[te]))
        out.append(round(float(np.mean(pred == r)), 3))
    return out


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
    """Build the dataset, cross-validate, fit and save a new version; return its directory."""
    cfg = cfg or CONFIG
    t0 = time.perf_counter()
    files = data_files(shared, data, replace)
    examples = load_examples(files)
    extract = facts_extractor()
    log(f"Данные: {len(examples)} размеченных постов из {len(files)} файлов"
        f"{'' if extract else ' (модуль фактов не найден: обучаю без фактов)'}.")
    records = [to_record(e.post, extract) for e in examples]
    metrics: dict[str, Any] = {}
    if cfg["folds"]:
        metrics = cross_validate(examples, records, cfg, extract is not None)
        u, r = metrics.get("usefulness", {}), metrics.get("rubric", {})
        rep = r.get("accuracy_repeated")
        shuffled = (f"{sum(rep) / len(rep):.3f} в среднем по {len(rep)} перемешанным разбиениям, "
                    if rep else "")
        log(f"Кросс-валидация ({cfg['folds']} блоков, без почти-дублей по обе стороны): "
            f"польза — Спирмен {u.get('spearman')} (база по цифрам {u.get('baseline_digits_spearman')}), "
            f"рубрика — точность {shuffled}{r.get('accuracy')} на неперемешанном "
            f"(база {r.get('baseline_majority_accuracy')}).")
    models = fit(examples, records, cfg, extract is not None)
    out = save(models, Path(models_dir or get_settings().models_dir), files, metrics, cfg,
               extract is not None, len(examples))
    log(f"Новая версия модели: {out.name} ({out}), за {time.perf_counter() - t0:.0f} с.")
    return out


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
