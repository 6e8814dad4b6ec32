"""Readability axis: raw counts (`counts`), the fitted model and score (`model`), reasons."""

from service.readability.counts import COUNT_KEYS, noun_chains, scan
from service.readability.model import (
    FEATURES,
    MODEL_FORMAT,
    Model,
    Readability,
    assess,
    count_features,
    feature_values,
    get_model,
    grade_label,
    load_model,
    score_counts,
)

__all__ = [
    "COUNT_KEYS", "FEATURES", "MODEL_FORMAT", "Model", "Readability", "assess",
    "count_features", "feature_values", "get_model", "grade_label", "load_model",
    "noun_chains", "scan", "score_counts",
]
