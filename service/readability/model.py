"""Readability 0–100 (higher is easier), school grade level, reading time and the reasons.

The score is a logistic of a linear model over densities of what makes a text hard for a
resident (long sentences and words, rare words, officialese, noun chains, passives, participles,
unexplained acronyms, walls of text). The weights are fitted by training/train_readability.py
and live in models/readability/weights.json (see its MODEL_CARD.md).
"""

from __future__ import annotations

import json
import math
import operator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from service.errors import ModelError
from service.nlp.document import Doc
from service.officialese import Hit
from service.readability.counts import scan
from service.readability.features import FEATURES, values, words_per_sentence
from service.readability.reasons import reasons

WORDS_PER_MINUTE = 150  # silent reading of plain informational text by an adult
MODEL_FORMAT = 3
GAIN_FLOOR_BAND = (15.0, 85.0)  # scores between which gains are measured on the curve itself
LAST_SCHOOL_GRADE = 11
STUDENT_GRADE_UP_TO = 15  # grades 12–15 on the scale read as «студент», above as «специалист»


def grade_label(grade: float) -> str:
    """Return who can read a text of this grade level: «7 класс», «студент», «специалист»."""
    g = round(grade)
    if g <= LAST_SCHOOL_GRADE:
        return f"{max(1, g)} класс"
    return "студент" if g <= STUDENT_GRADE_UP_TO else "специалист"


@dataclass(slots=True)
class Readability:
    """The readability of a text and the raw counts behind it."""

    score: float
    grade_level: float
    reading_time_seconds: int
    counts: dict[str, float] = field(default_factory=dict)  # raw additive counts
    figures: dict[str, float] = field(default_factory=dict)  # derived, shown to users
    reasons: list[str] = field(default_factory=list)
    # (the model, the difficulty of `counts` under it), set by `assess`: a gain needs it
    base: tuple[Model, float] | None = field(default=None, repr=False, compare=False)

    def gain(self, **delta: float) -> float:
        """Return how many readability points the text gains if its counts change by `delta`.

        Near the ends of the scale the logistic flattens: one fix in a text scoring 3 moves it
        by a fraction of a point. So a gain is at least the change measured on the steep part
        of the curve (as if the text scored between GAIN_FLOOR_BAND), to keep fixes comparable.
        """
        counts = dict(self.counts)
        for k, v in delta.items():
            counts[k] = max(0.0, counts.get(k, 0.0) + v)
        m = get_model()
        d = difficulty(counts, m)
        new_score, _ = _score_of(d, counts, m)
        base = self.base
        d0 = base[1] if base is not None and base[0] is m else difficulty(self.counts, m)
        dz = d0 - d
        lo, hi = GAIN_FLOOR_BAND
        p = min(hi, max(lo, self.score)) / 100
        return max(0.0, new_score - self.score, 100 * p * (1 - p) * dz)

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready object."""
        return {
            "score": round(self.score, 1),
            "grade_level": round(self.grade_level, 1),
            "grade_label": grade_label(self.grade_level),
            "reading_time_seconds": self.reading_time_seconds,
            "figures": {k: round(v, 2) for k, v in self.figures.items()},
            "reasons": self.reasons,
        }


@dataclass(frozen=True, slots=True)
class Model:
    """Fitted weights: score = 100·σ(intercept − Σ wᵢ·fᵢ), grade = g0 + g1·Σ wᵢ·fᵢ."""

    features: tuple[str, ...]  # names in features.FEATURES, in the order of `weights`
    weights: tuple[float, ...]
    intercept: float
    grade_intercept: float
    grade_slope: float
    reference: tuple[float, ...]  # feature values of a typical plain post (for the reasons)
    rare_ipm: float  # a lemma rarer than this (RNC ipm) is a rare word


def load_model(path: Path) -> Model:
    """Return the model stored at `path` (weights.json), refusing an incompatible one."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ModelError(
            f"нет файла модели читаемости {path}: запустите python -m training.train_readability"
        ) from e
    if raw.get("format_version") != MODEL_FORMAT or not set(raw.get("features", ())) <= set(
        FEATURES
    ):
        raise ModelError(
            f"модель читаемости {path} другой версии: переобучите её командой "
            "python -m training.train_readability"
        )
    return Model(
        tuple(raw["features"]), tuple(raw["weights"]), raw["intercept"], raw["grade"]["intercept"],
        raw["grade"]["slope"], tuple(raw["reference"]), raw["rare_ipm"],
    )


@lru_cache(maxsize=1)
def get_model() -> Model:
    """Return the process-wide readability model."""
    from service.settings import get_settings

    return load_model(get_settings().models_dir / "readability" / "weights.json")


def count_features(doc: Doc, hits: list[Hit], rare_ipm: float | None = None) -> dict[str, float]:
    """Return the raw counts readability is computed from."""
    return scan(doc, hits, get_model().rare_ipm if rare_ipm is None else rare_ipm)[0]


_in_order: tuple[str, ...] = FEATURES  # the last model's feature names found in FEATURES' order


def feature_values(c: dict[str, float], model: Model | None = None) -> tuple[float, ...]:
    """Return the model's features of raw counts, in the order of its weights."""
    global _in_order
    names = (model or get_model()).features
    vals = values(c)
    if names is _in_order or names == FEATURES:
        _in_order = names  # a tuple: found equal once, equal for good (no 28 comparisons)
        return vals
    return tuple(vals[FEATURES.index(n)] for n in names)


def difficulty(c: dict[str, float], model: Model | None = None,
               feats: tuple[float, ...] | None = None) -> float:
    """Return the linear difficulty Σ wᵢ·fᵢ of raw counts (higher is harder)."""
    m = model or get_model()
    f = feature_values(c, m) if feats is None else feats
    weights = m.weights
    if len(weights) != len(f):
        raise ValueError(f"{len(weights)} weights for {len(f)} features")
    return sum(map(operator.mul, weights, f))  # the same sum, term by term, as a generator


def score_counts(c: dict[str, float], model: Model | None = None,
                 feats: tuple[float, ...] | None = None) -> tuple[float, float]:
    """Return (score 0–100, grade level 1–18: 1–11 school, then student, specialist)."""
    m = model or get_model()
    return _score_of(difficulty(c, m, feats), c, m)


def _score_of(d: float, c: dict[str, float], m: Model) -> tuple[float, float]:
    """Return `score_counts` of raw counts `c` whose difficulty `d` is known."""
    z = m.intercept - d
    if c.get("words", 0.0) <= 0:  # no words at all: nothing to judge
        z = 0.0
    score = 100.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    grade = max(1.0, min(18.0, m.grade_intercept + m.grade_slope * d))
    return score, grade


def assess(doc: Doc, hits: list[Hit]) -> Readability:
    """Return the readability of `doc` given its officialese hits."""
    model = get_model()
    counts, det = scan(doc, hits, model.rare_ipm)
    feats = feature_values(counts, model)
    d = difficulty(counts, model, feats)
    score, grade = _score_of(d, counts, model)
    w = max(1.0, counts["words"])
    wps = words_per_sentence(counts)
    figures = {
        "words": counts["words"],
        "sentences": counts["sentences"],
        "words_per_sentence": wps,
        "syllables_per_word": counts["syllables"] / w,
        "long_words_percent": 100 * counts["long_words"] / w,
        "rare_words_percent": 100 * counts["hard_words"] / w,
        "kantselyarit_per_100_words": 100 * counts["kantselyarit"] / w,
        "abbreviations": counts["abbreviations"],
        "nominal_chains": counts["nominal_chains"],
        "participles": counts["participles"],
        "paragraphs": counts["blocks"],
    }
    if not len(model.features) == len(model.weights) == len(model.reference) == len(feats):
        raise ValueError("the readability model's features, weights and reference differ")
    # wt · (v − ref) of each feature
    pushes = dict(zip(model.features, map(operator.mul, model.weights,
                                          map(operator.sub, feats, model.reference)), strict=True))
    return Readability(
        score, grade, round(counts["words"] / WORDS_PER_MINUTE * 60), counts, figures,
        reasons(counts, det, score, pushes, wps), (model, d),
    )
