"""The model card of a text model artifact, and the facts it records about the environment."""

from __future__ import annotations

import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
LIBS = ("scikit-learn", "numpy", "scipy", "joblib", "pymorphy3", "pymorphy3-dicts-ru", "razdel")


def git_revision() -> str:
    """Return the code revision (`git rev-parse HEAD`), or "unknown" outside a git checkout."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                             text=True, timeout=5, check=True)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def environment() -> dict[str, Any]:
    """Return the library versions the artifact was trained with."""
    libs = {}
    for name in LIBS:
        try:
            libs[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            libs[name] = None
    return {"python": platform.python_version(), "sklearn": libs["scikit-learn"], "libraries": libs}


def write_card(path: Path, meta: dict[str, Any], size: int) -> None:
    """Write MODEL_CARD.md of an artifact from its meta.json contents."""
    m = meta.get("metrics") or {}
    u, r = m.get("usefulness") or {}, m.get("rubric") or {}
    data = "\n".join(f"| `{d['file']}` | {d['rows']} | `{d['sha256']}` |" for d in meta["data"])
    libs = ", ".join(f"{k} {v}" for k, v in meta["libraries"].items() if v)
    if u or r:
        cv = f"""Grouped {m.get('folds')}-fold cross-validation over {m.get('posts')} posts in \
{m.get('near_duplicate_groups')} near-duplicate groups (MinHash over word 3-shingles, Jaccard \
≥ 0.5, or the same first 8 words): no template sits on both sides of a split.

| model | metric | model | trivial baseline |
|---|---|---|---|
| usefulness (0–100 vs labels 0/1/2) | Spearman ρ | **{u.get('spearman')}** | {u.get('baseline_digits_spearman')} (number of digits in the text) |
| usefulness | mean abs. error, points | {u.get('mae_points')} | — |
{_rubric_rows(r)}"""
    else:
        cv = "Trained without cross-validation (`--fast`): no metrics for this version.\n"
    text = f"""# Model card: usefulness and rubric of a post (`{meta['version']}`)

**What.** Two scikit-learn Pipelines over the same kind of post record
(`service/models/features.py`): lemma uni- and bigrams (TF-IDF, lemmas from the service's own
pymorphy3 pipeline), page type / platform / attachments, length and token kinds, verb tense and
mood shares, protocol-news / greeting / action / warning signals and topic words of each rubric
(`service/models/signals.py`), the lemma n-grams of the lead (the first sentence or two){', and the facts of the post (`service/facts/`: dates, times, places, contacts, post kinds, call to action)' if meta.get('facts') else ''}{'; the rubric model also reads word vectors (below)' if _has_vectors(meta) else ''}.
- usefulness: Ridge regression on the 0/1/2 label, reported as 0–100 (label × 50, clipped);
  linear, so every reason in `usefulness.reasons` is an exact share of the score.
- rubric: multinomial logistic regression with balanced class weights over the 14 rubrics of
  RUBRIC.md; the second rubric is reported when its probability is at least 60% of the first.

**Version** `{meta['version']}`, format {meta['format_version']}, created {meta['created']},
code revision `{meta['code_revision']}`. File `model.joblib`: {size / 1e6:.2f} MB,
sha256 `{meta['model_sha256']}` (the service loads it only when the hash matches).

## Data
| file | rows | sha256 |
|---|---|---|
{data}

{meta['examples']} labelled posts after removing exact duplicates (a later file wins).
`gosposts/train.jsonl`: written for this project by annotators following RUBRIC.md, fictional
places, people and phones; licence: ours (train, validate, ship).

## Cross-validated quality
{cv}
## Environment
Python {meta['python']}; {libs}. The service refuses an artifact trained with another
scikit-learn version or format and says how to fix it (`gospablik train`).

## Intended use
Ranking and explaining the practical value of posts of Russian government pages (schools,
hospitals, administrations, МФЦ, utilities …) for their admins and ЦУР trainers; a page's
content mix by rubric. CI and the service use the committed artifact in `models/text/`; training
from scratch (`gospablik train`, about a minute on 2 cores) writes a new version next to it, and
the service loads the newest compatible one.

## Limits
- Trained on ~1,000 synthetic-but-realistic posts: topics, regions or formats far from them
  (long-reads, podcasts, non-government pages) get less reliable scores; retrain with a region's
  own labelled posts (`gospablik train --data FILE`).
- Usefulness is a judgement of practical value, not of truth or of legal correctness.
{_short(r)}{_weakest(r)}- The score sees text and facts only, not images or attached documents.
{_vectors(meta)}"""
    path.write_text(text, encoding="utf-8")


def _rubric_rows(r: dict[str, Any]) -> str:
    """Return the rubric rows of the quality table. The headline accuracy is the mean over the
    repeated shuffled stratified splits when they were run (one 5-fold split moves by about
    ±0.01 with the seed on ~1,000 posts); the unshuffled split, which also gives top-2 and the
    per-rubric recall, is shown next to it."""
    base = (f"{r.get('baseline_majority_accuracy')} (majority class); "
            f"{r.get('baseline_page_type_accuracy')} (majority rubric of the page type)")
    acc = r.get("accuracy_repeated")
    if not acc:
        return (f"| rubric (14 classes) | accuracy | **{r.get('accuracy')}** | {base} |\n"
                f"| rubric | top-2 accuracy | {r.get('top2_accuracy')} | — |\n")
    each = ", ".join(f"{a:.3f}" for a in acc)
    return (f"| rubric (14 classes), mean of {len(acc)} shuffled stratified grouped splits | "
            f"accuracy | **{sum(acc) / len(acc):.3f}** ({each}) | {base} |\n"
            f"| rubric, the unshuffled grouped split above | accuracy | {r.get('accuracy')} | — |\n"
            f"| rubric, the unshuffled grouped split above | top-2 accuracy | "
            f"{r.get('top2_accuracy')} | — |\n")


def _weakest(r: dict[str, Any], k: int = 3) -> str:
    """Return the limits line naming the rubrics the model recalls worst in cross-validation."""
    recall = r.get("recall")
    if not recall:
        return ("- Rubrics `other` and `results_reports` overlap with topical rubrics and are the "
                "least reliable;\n  use `rubric_second` when it is given.\n")
    worst = sorted(recall.items(), key=lambda kv: kv[1])[:k]
    names = ", ".join(f"`{c}` {v:.2f}" for c, v in worst)
    return (f"- Least reliable rubrics (cross-validated recall): {names}; they overlap with topical "
            "rubrics\n  (a report about a school event, a volunteer call in a park), so use "
            "`rubric_second` when it is given.\n")


def _short(r: dict[str, Any]) -> str:
    """Return a limits line when the rubric accuracy is below the 0.8 target on some split."""
    acc = r.get("accuracy")
    rep = r.get("accuracy_repeated")
    mean = sum(rep) / len(rep) if rep else None
    if acc is None or (acc >= 0.8 and (mean is None or mean >= 0.8)):
        return ""
    said = (f"{mean:.3f} over shuffled splits, {acc} on the unshuffled one" if mean is not None
            else f"{acc}")
    return (f"- Rubric accuracy is {said}: about the 0.8 target, not clearly above it. On "
            "~1,000 posts\n  the genre rubrics (`results_reports`, `other`, `greetings` vs a "
            f"topic) are often a judgement call; top-2\n  accuracy is {r.get('top2_accuracy')}. "
            "What was tried and what each change gave: training/rubric_experiments.py.\n")


def _has_vectors(meta: dict[str, Any]) -> bool:
    return "vectors" in (((meta.get("config") or {}).get("rubric") or {}).get("blocks") or ())


def _vectors(meta: dict[str, Any]) -> str:
    """Return the card section on the word-vector table, when the rubric model reads one."""
    if not _has_vectors(meta):
        return ""
    from service.models.features import VECTORS_FILE

    return f"""
## Word vectors
The rubric model also reads the idf-weighted, L2-normalised sum of the word vectors of the
post's lemmas (`VectorBlock`): `models/vectors/{VECTORS_FILE}`, projections of navec news v1
vectors (natasha project, MIT), built by `training/build_word_vectors.py`; what the table holds
and what it does to the cross-validated accuracy: `models/vectors/MODEL_CARD.md`. The table is
part of the model: rebuilding it means retraining.
"""
