"""Readability 0–100 (higher is easier), school grade level and reading time."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from service.kantselyarit import Hit
from service.nlp.document import Doc

WORDS_PER_MINUTE = 150  # silent reading of plain informational text by an adult


@dataclass(slots=True)
class Readability:
    """The readability of a text and the raw counts behind it."""

    score: float
    grade_level: float
    reading_time_seconds: int
    counts: dict[str, float] = field(default_factory=dict)  # raw counts: words, sentences, ...
    figures: dict[str, float] = field(default_factory=dict)  # derived, shown to users
    reasons: list[str] = field(default_factory=list)

    def gain(self, **delta: float) -> float:
        """Return how many readability points the text gains if its counts change by `delta`."""
        counts = dict(self.counts)
        for k, v in delta.items():
            counts[k] = max(0.0, counts.get(k, 0.0) + v)
        new_score, _ = score_counts(counts)
        return max(0.0, new_score - self.score)

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready object."""
        return {
            "score": round(self.score, 1),
            "grade_level": round(self.grade_level, 1),
            "reading_time_seconds": self.reading_time_seconds,
            "figures": {k: round(v, 2) for k, v in self.figures.items()},
            "reasons": self.reasons,
        }


def count_features(doc: Doc, hits: list[Hit]) -> dict[str, float]:
    """Return the raw counts readability is computed from."""
    words = doc.words
    return {
        "words": float(len(words)),
        "sentences": float(max(1, sum(1 for s in doc.sentences if s.n_words))),
        "syllables": float(sum(w.syllables for w in words)),
        "kantselyarit": float(len(hits)),
    }


def score_counts(c: dict[str, float]) -> tuple[float, float]:
    """Return (score, grade level) of raw counts (provisional Flesch–Oborneva based formula)."""
    n_words = max(1.0, c["words"])
    asl = n_words / max(1.0, c["sentences"])
    asw = c["syllables"] / n_words
    fre = 206.835 - 1.3 * asl - 60.1 * asw
    score = max(0.0, min(100.0, fre - 8.0 * c["kantselyarit"] / n_words * 100))
    grade = max(1.0, min(18.0, 0.5 * asl + 8.4 * asw - 15.59))
    return score, grade


def assess(doc: Doc, hits: list[Hit]) -> Readability:
    """Return the readability of `doc` given its officialese hits."""
    counts = count_features(doc, hits)
    score, grade = score_counts(counts)
    n_words = max(1.0, counts["words"])
    figures = {
        "words": counts["words"],
        "sentences": counts["sentences"],
        "words_per_sentence": n_words / counts["sentences"],
        "syllables_per_word": counts["syllables"] / n_words,
        "kantselyarit_per_100_words": counts["kantselyarit"] / n_words * 100,
    }
    return Readability(
        score, grade, round(counts["words"] / WORDS_PER_MINUTE * 60), counts, figures
    )
