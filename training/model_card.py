"""The model card of a text model artifact, and the facts it records about the environment."""

from __future__ import annotations

import platform
import subprocess
from collections import Counter
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
        cv = _quality(m, u, r)
    elif m:
        cv = (f"Too few labelled posts or near-duplicate groups for the nested CV ({m.get('folds')} "
              f"x {m.get('inner_folds')} folds need {(m.get('folds') or 0) * (m.get('inner_folds') or 0)}"
              " groups): trained without cross-validation, no metrics for this version.\n")
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

## Quality
{cv}
## Environment
Python {meta['python']}; {libs}. The service refuses an artifact trained with another
scikit-learn version or format and says how to fix it (`gospablik train`).

## Intended use
Ranking and explaining the practical value of posts of Russian government pages (schools,
hospitals, administrations, МФЦ, utilities …) for their admins and ЦУР trainers; a page's
content mix by rubric. CI and the service use the committed artifact in `models/text/`; training
from scratch (`gospablik train`, two to three minutes on 2 cores with the nested CV) writes a new
version next to it, and the service loads the newest compatible one.

## Limits
- Trained on ~1,000 synthetic-but-realistic posts: topics, regions or formats far from them
  (long-reads, podcasts, non-government pages) get less reliable scores; retrain with a region's
  own labelled posts (`gospablik train --data FILE`).
- Usefulness is a judgement of practical value, not of truth or of legal correctness.
{_short(r)}{_weakest(r)}- The score sees text and facts only, not images or attached documents.
{_vectors(meta)}"""
    path.write_text(text, encoding="utf-8")


LABELS = """Every figure is labelled (by its column, or in its cell): **перекрёстная проверка** —
cross-validated, out of fold, with the grid search nested inside the training part (or nothing
selected); **перекрёстная проверка с подбором на тех же блоках** — the grid's pick scored on the
very folds it was picked on (optimistic by construction; for comparison only);
**без обучения** — a formula that learns nothing, computed on all posts. No figure here is
in-sample or on held-out real data: the labelled posts are written for the project, and there
is no other labelled set."""


def _quality(m: dict[str, Any], u: dict[str, Any], r: dict[str, Any]) -> str:
    """Return the quality section: the nested CV as the headline, the inner CV beside it."""
    k, ki, n = m.get("folds"), m.get("inner_folds"), m.get("repeats")
    head = f"""Nested grouped cross-validation over {m.get('posts')} posts in \
{m.get('near_duplicate_groups')} near-duplicate groups (MinHash over word 3-shingles, Jaccard \
≥ 0.5, or the same first 8 words; no template sits on both sides of a split): {k} outer folds, \
{n} shuffled outer splits (the headline is their mean, each in brackets). Inside every outer \
training part the grid of `config.grid` is searched by a grouped {ki}-fold CV of that part only, \
the pick is fitted on the part and scored on the held-out fold. The shipped model is the same \
procedure on all posts: its pick and that pick's own CV score (the inner figure) are beside.

{LABELS}

| model | metric | **nested CV, the headline** (перекрёстная проверка) | inner CV of the shipped pick (перекрёстная проверка с подбором на тех же блоках: может быть завышена) | trivial baseline |
|---|---|---|---|---|
"""
    rows = []
    if u:
        each = ", ".join(f"{x:.3f}" for x in u.get("spearman_repeated") or [])
        rows.append(f"| usefulness (0–100 vs labels 0/1/2) | Spearman ρ | **{u.get('spearman'):.3f}** "
                    f"({each}) | {u.get('spearman_inner')} | "
                    f"{u.get('baseline_digits_spearman')} (number of digits in the text) — "
                    "без обучения |")
        rows.append(f"| usefulness | mean abs. error, points | {u.get('mae_points')} | — | — |")
    if r:
        rows.append(_rubric_rows(r).rstrip("\n"))
    picks = []
    for name, x in (("usefulness", u), ("rubric", r)):
        if x:
            outer = Counter(x.get("picks_of_outer_parts") or [])
            scores = list((x.get("grid_scores_all_posts") or {}).values())
            spread = (f"; the candidates' CV on all posts spans {min(scores):.3f}–{max(scores):.3f}"
                      if scores else "")
            picks.append(f"- {name}: {x.get('candidates')} candidates; shipped pick `{x.get('pick')}`"
                         f"{spread}; the outer training parts picked {len(outer)} different ones "
                         f"(most often `{outer.most_common(1)[0][0]}`, "
                         f"{outer.most_common(1)[0][1]} of {sum(outer.values())})"
                         if outer else f"- {name}: shipped pick `{x.get('pick')}`{spread}")
    tail = f"""

**The grid and its picks.**
{chr(10).join(picks)}

**What the nesting does not remove.** The feature blocks and the centre of the grid were chosen
earlier by ~100 variants scored by CV on these same posts (training/rubric_experiments.py), so
every outer fold was seen by those experiments; the nested figure is honest about the grid
search, not about those choices. The word-vector table also holds the labelled posts' own
lemmas (models/vectors/MODEL_CARD.md: worth about 0.002 of rubric accuracy).
"""
    return head + "\n".join(rows) + tail


def _rubric_rows(r: dict[str, Any]) -> str:
    """Return the rubric rows of the quality table. The headline is the nested accuracy, the
    mean over the outer splits (one 5-fold split moves by about ±0.005 with the seed on ~1,000
    posts); the inner figure (the pick scored on the folds it was picked on) is beside it."""
    base = (f"{r.get('baseline_majority_accuracy')} (majority class); "
            f"{r.get('baseline_page_type_accuracy')} (majority rubric of the page type) — "
            "перекрёстная проверка")
    acc = r.get("accuracy_repeated") or []
    mean = sum(acc) / len(acc) if acc else r.get("accuracy_nested")
    each = ", ".join(f"{a:.3f}" for a in acc)
    return (f"| rubric (14 classes) | accuracy | **{mean:.3f}** ({each}) | {r.get('accuracy')} | "
            f"{base} |\n"
            f"| rubric | top-2 accuracy | {r.get('top2_accuracy')} | — | — |\n")


def _weakest(r: dict[str, Any], k: int = 3) -> str:
    """Return the limits line naming the rubrics the model recalls worst in cross-validation."""
    recall = r.get("recall")
    if not recall:
        return ("- Rubrics `other` and `results_reports` overlap with topical rubrics and are the "
                "least reliable;\n  use `rubric_second` when it is given.\n")
    worst = sorted(recall.items(), key=lambda kv: kv[1])[:k]
    names = ", ".join(f"`{c}` {v:.2f}" for c, v in worst)
    return (f"- Least reliable rubrics (recall, nested CV — перекрёстная проверка): {names};\n"
            "  they overlap with topical rubrics (a report about a school event, a volunteer call "
            "in a park),\n  so use `rubric_second` when it is given.\n")


def _short(r: dict[str, Any]) -> str:
    """Return a limits line when the nested rubric accuracy is below the 0.8 target."""
    rep = r.get("accuracy_repeated")
    mean = sum(rep) / len(rep) if rep else None
    if mean is None or mean >= 0.8:
        return ""
    return (f"- Rubric accuracy is {mean:.3f} in nested CV (перекрёстная проверка; inner "
            f"{r.get('accuracy')}): about the 0.8\n  target, not above it. On ~1,000 posts the "
            "genre rubrics (`results_reports`, `other`, `greetings`\n  vs a topic) are often a "
            f"judgement call; top-2 accuracy is {r.get('top2_accuracy')}. What was tried and what "
            "each\n  change gave: training/rubric_experiments.py.\n")


def _has_vectors(meta: dict[str, Any]) -> bool:
    return "vectors" in (((meta.get("config") or {}).get("rubric") or {}).get("blocks") or ())


def _vectors(meta: dict[str, Any]) -> str:
    """Return the card section on the word-vector table, when the rubric model reads one."""
    if not _has_vectors(meta):
        return ""
    from service.models.features import VECTORS_FILE

    w = ((meta.get("config") or {}).get("rubric") or {}).get("weights", {}).get("vectors", 1.0)
    return f"""
## Word vectors
The rubric model also reads the idf-weighted, L2-normalised sum of the word vectors of the
post's lemmas (`VectorBlock`, weight {w:g} next to the lemma TF-IDF in this version):
`models/vectors/{VECTORS_FILE}`, projections of navec news v1
vectors (natasha project, MIT), built by `training/build_word_vectors.py`; what the table holds
and what it does to the cross-validated accuracy: `models/vectors/MODEL_CARD.md`. The table is
part of the model: rebuilding it means retraining.
"""
