"""The trained text models (usefulness and rubric) and their one-post fast path.

Both are scikit-learn Pipelines `PostFeatures -> linear model`, fitted by
training/train_text_models.py; the service loads them without scikit-learn (the same fitted
attributes in plain classes, service.models.loader). A chunk of posts goes through one sparse
matrix and one product per model (`predict_many`); one post goes through
`PostFeatures.row` and the fitted coefficients directly (~0.1 ms instead of ~1 ms of sklearn
overhead) — the same features and weights, checked equal by tests/test_models.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import numpy as np

from service.models.explain import MIN_EFFECT, reasons
from service.models.features import FactBlock, PostRecord, VectorBlock, with_fact

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

SCALE = 50.0  # usefulness labels 0..2 -> points 0..100
GROUPS = {"when": ("date", "time"), "where": ("address", "place"),
          "contact": ("phone", "link", "email", "qr")}
CLOSE = 0.6  # the second rubric is shown when its probability is at least 60% of the first


@dataclass(slots=True)
class Prediction:
    """What the text models say about one post."""

    score: float
    rubric: str
    rubric_confidence: float
    rubric_second: dict[str, Any] | None
    reasons: list[dict[str, Any]] = field(default_factory=list)


class TextModels:
    """Usefulness regressor and rubric classifier over the same kind of post record."""

    def __init__(self, usefulness: Pipeline, rubric: Pipeline, version: str = "") -> None:
        self.usefulness = usefulness
        self.rubric = rubric
        self.version = version

    # -- batches (training, evaluation) --------------------------------------------------
    def usefulness_scores(self, records: list[PostRecord]) -> np.ndarray:
        """Return usefulness 0..100 of many records via the pipeline."""
        if hasattr(self.usefulness, "predict"):  # scikit-learn's own (training)
            return np.clip(SCALE * self.usefulness.predict(records), 0.0, 100.0)
        model = self.usefulness[-1]
        raw = self.usefulness[0].transform(records) @ model.coef_ + model.intercept_
        return np.clip(SCALE * raw, 0.0, 100.0)

    def rubric_proba(self, records: list[PostRecord]) -> np.ndarray:
        """Return rubric probabilities of many records (columns: `rubric_classes`)."""
        if hasattr(self.rubric, "predict_proba"):  # scikit-learn's own (training)
            return self.rubric.predict_proba(records)  # type: ignore[no-any-return]
        return self._rubric_softmax(records)

    def _rubric_softmax(self, records: list[PostRecord],
                        shared: dict[Any, Any] | None = None) -> np.ndarray:
        """Return rubric probabilities: the linear model's softmax, as scikit-learn's
        (`shared`: blocks of these records the usefulness model has computed already)."""
        model = self.rubric[-1]
        logits = self.rubric[0].transform(records, shared) @ model.coef_.T + model.intercept_
        if logits.shape[1] == 1:  # two rubrics: one logit for the second class
            logits = np.hstack([np.zeros_like(logits), logits])
        logits -= logits.max(axis=1, keepdims=True)
        proba = np.exp(logits)
        proba /= proba.sum(axis=1, keepdims=True)
        return proba  # type: ignore[no-any-return]

    @property
    def rubric_classes(self) -> list[str]:
        """Return the rubric names in probability column order."""
        return [str(c) for c in self.rubric[-1].classes_]

    @property
    def usefulness_terms(self) -> dict[str, int] | None:
        """Return the vocabulary of the usefulness model's terms (None without a terms block):
        the only terms whose spans its reasons quote (`explain.describe`)."""
        cached = self.__dict__.get("_terms_cache")
        if cached is None:
            blocks = [b for _, b, _ in self.usefulness[0].blocks_]
            terms = [b for b in blocks if type(b).__name__ == "TermBlock"]
            # a subclass might name its features otherwise: keep every span
            plain = not any(b.name == "terms" and type(b).__name__ != "TermBlock"
                            for b in blocks)
            cached = (terms[0].vocabulary_ if plain and len(terms) == 1 else None,)
            self.__dict__["_terms_cache"] = cached
        return cached[0]  # type: ignore[no-any-return]

    @property
    def has_facts(self) -> bool:
        """Return True when the usefulness model uses the facts of the post."""
        cached = self.__dict__.get("_has_facts")
        if cached is None:
            cached = self.__dict__["_has_facts"] = "facts" in self.usefulness[0].blocks
        return cached  # type: ignore[no-any-return]

    # -- one post (the service) -----------------------------------------------------------
    def _fast(self) -> tuple[list[float], float, list[str]]:
        """Return the usefulness coefficients as a list, the intercept and the feature names."""
        cached = self.__dict__.get("_fast_cache")
        if cached is None:
            model = self.usefulness[-1]
            cached = (model.coef_.tolist(), float(model.intercept_),
                      [str(n) for n in self.usefulness[0].get_feature_names_out()])
            self.__dict__["_fast_cache"] = cached
        return cached

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        for key in ("_fast_cache", "_terms_cache", "_has_facts", "_facts_block_cache"):
            state.pop(key, None)
        return state

    def _use_raw(self, record: PostRecord) -> tuple[float, list[tuple[int, float]]]:
        coef, intercept, _ = self._fast()
        row = self.usefulness[0].row(record)
        return intercept + sum([coef[j] * v for j, v in row]), row

    def usefulness_one(self, record: PostRecord) -> float:
        """Return usefulness 0..100 of one record."""
        return _clip(SCALE * self._use_raw(record)[0])

    def rubric_one(self, record: PostRecord) -> list[tuple[str, float]]:
        """Return (rubric, probability) pairs of one record, best first."""
        feats, model = self.rubric[0], self.rubric[-1]
        logits = model.intercept_.copy()
        idx, vals = _row_arrays(feats, record)
        if len(idx):
            logits += model.coef_[:, idx] @ vals
        if len(logits) == 1:  # two rubrics: one logit for the second class, sigmoid = softmax
            logits = np.array([0.0, logits[0]])
        logits -= logits.max()
        p = np.exp(logits)
        p /= p.sum()
        order = np.argsort(-p)
        return [(str(model.classes_[i]), float(p[i])) for i in order]

    def predict_one(self, record: PostRecord, text: str) -> Prediction:
        """Return score, rubric (with the close second) and reasons of one post."""
        raw, row = self._use_raw(record)
        score = _clip(SCALE * raw)
        ranked = self.rubric_one(record)
        (best, p1), (second, p2) = ranked[0], ranked[1]
        close = {"rubric": second, "confidence": round(p2, 3)} if p2 >= CLOSE * p1 else None
        coef, _, names = self._fast()
        # only the effects `reasons` can take (at least MIN_EFFECT up or down), in row order
        effects = [(str(names[j]), e) for j, v in row
                   if (e := SCALE * coef[j] * v) >= MIN_EFFECT or -e >= MIN_EFFECT]
        return Prediction(round(score, 1), best, round(p1, 3), close,
                          reasons(effects, record, text))

    def predict_many(self, records: list[PostRecord], texts: list[str]
                     ) -> list[tuple[Prediction, float]]:
        """Return (prediction, raw usefulness) of many posts: one sparse matrix per model and
        one product each, the same features and weights as `predict_one`."""
        if not records:
            return []
        coef, intercept, names = self._fast()
        shared: dict[Any, Any] = {}  # blocks both models have (the terms): computed once
        xu = self.usefulness[0].transform(records, shared)
        raw = xu @ self.usefulness[-1].coef_ + intercept
        proba = self._rubric_softmax(records, shared)
        classes = self.rubric_classes
        # the effects `reasons` can take (at least MIN_EFFECT up or down), each row's in order
        eff = SCALE * self.usefulness[-1].coef_[xu.indices] * xu.data
        keep = (eff >= MIN_EFFECT) | (-eff >= MIN_EFFECT)
        indptr = np.searchsorted(np.flatnonzero(keep), xu.indptr).tolist()
        effects_all = list(zip(map(names.__getitem__, xu.indices[keep].tolist()),
                               eff[keep].tolist(), strict=True))
        # each row's argsort, as `np.argsort(-p)` of the row alone: the best two rubrics
        top2 = np.argsort(-proba, axis=1)[:, :2].tolist()
        out = []
        for i, (record, text, (k1, k2), p, r) in enumerate(zip(
                records, texts, top2, proba.tolist(), raw.tolist(), strict=True)):
            p1, p2 = p[k1], p[k2]
            close = ({"rubric": classes[k2], "confidence": round(p2, 3)} if p2 >= CLOSE * p1
                     else None)
            effects = effects_all[indptr[i]:indptr[i + 1]]
            out.append((Prediction(round(_clip(SCALE * r), 1), classes[k1], round(p1, 3), close,
                                   reasons(effects, record, text)), r))
        return out

    def fact_delta(self, record: PostRecord, kind: str, old: float | None = None
                   ) -> float:
        """Return how much the raw usefulness of `record` changes with one more fact of `kind`
        (as `with_fact(record, kind)` re-predicted, the same floats: the model is linear, so
        only the facts block's sum changes; `old`: that block's sum for `record` when known).

        The facts block counts a kind by its presence, so a kind the record has already adds
        nothing, and a new kind joins the end of the block's row: its sum is the old sum plus
        one term, found without building the new record or its rows. Any other case (a block
        of another class, a count not above zero) is re-predicted through `with_fact`.
        """
        block = self._facts_block()
        if block is None:
            return 0.0
        offset, fb, w = block
        coef = self._fast()[0]
        if old is None:
            old = self._facts_sum(record)
        facts = record.facts
        if type(fb) is FactBlock and facts is not None and kind not in facts:
            j = fb._index().get(kind)
            new = old if j is None else old + coef[offset + j] * w * 1.0
        elif type(fb) is FactBlock and facts is not None and facts[kind] > 0:
            new = old  # present already: the same row
        elif type(fb) is FactBlock and facts is None:
            j = fb._index().get(kind)
            new = 0 if j is None else 0 + coef[offset + j] * w * 1.0
        else:
            new = sum(coef[offset + j] * w * v for j, v in fb.row(with_fact(record, kind)))
        return new - old

    def usefulness_with_fact(self, record: PostRecord, kind: str,
                             raw: float | None = None) -> float:
        """Return the usefulness 0..100 (unrounded) of `record` with one more fact of `kind`,
        the same float as `gain_function` adds to the record's own score (`raw`: the record's
        raw usefulness when known). Computes the facts block's changed term only."""
        if raw is None:
            raw = self._use_raw(record)[0]
        return _clip(SCALE * (raw + self.fact_delta(record, kind)))

    def _facts_block(self) -> tuple[int, Any, float] | None:
        cached = self.__dict__.get("_facts_block_cache")
        if cached is None:
            feats = self.usefulness[0]
            cached = (next(((o, b, w) for o, b, w in feats.blocks_ if b.name == "facts"), None),)
            self.__dict__["_facts_block_cache"] = cached
        return cached[0]  # type: ignore[no-any-return]

    def _facts_sum(self, record: PostRecord) -> float:
        """Return the facts block's sum of coefficient × weight × value of `record`, in row
        order (a sum starting at 0, as `gain_function` always took it)."""
        block = self._facts_block()
        assert block is not None
        offset, fb, w = block
        coef = self._fast()[0]
        return sum(coef[offset + j] * w * v for j, v in fb.row(record))  # type: ignore[no-any-return]

    def gain_function(self, record: PostRecord, raw: float | None = None
                      ) -> Callable[[str], float]:
        """Return `(fact_kind) -> points` the usefulness would gain if that fact were added
        (`raw`: the record's raw usefulness when already known)."""
        block = self._facts_block()
        cache: dict[str, float] = {} if raw is None else {"raw": raw}
        olds: list[float] = []  # the facts block's sum of the record, once

        def one(kind: str) -> float:
            # linear model: only the facts block changes, so re-predict by its difference
            if "raw" not in cache:
                cache["raw"] = self._use_raw(record)[0]
            raw = cache["raw"]
            base = _clip(SCALE * raw)
            if not olds:
                olds.append(self._facts_sum(record))
            return _clip(SCALE * (raw + self.fact_delta(record, kind, olds[0]))) - base

        def gain(kind: str) -> float:
            if block is None or kind == "raw":
                return 0.0
            if kind not in cache:
                cache[kind] = max(0.0, max(one(k) for k in GROUPS.get(kind, (kind,))))
            return cache[kind]

        return gain


def _row_arrays(feats: Any, record: PostRecord) -> tuple[np.ndarray, np.ndarray]:
    """Return the columns and values of `feats.row(record)` as arrays, built block by block
    (the same numbers: `offset + j` and `w * v` are the same integer and IEEE product in
    numpy; a record's word vector joins as its array instead of 100 pairs)."""
    idx_parts: list[np.ndarray] = []
    val_parts: list[np.ndarray] = []
    for offset, block, w in feats.blocks_:
        if type(block) is VectorBlock and block.cache_key() not in record.block_rows:
            v = block.vector(record)
            if v is None:
                continue
            idx_parts.append(np.arange(offset, offset + len(v), dtype=np.int64))
            val_parts.append(w * v.astype(np.float64))
            continue
        rows = feats.block_rows(record, block)
        if not rows:
            continue
        n = len(rows)
        idx = np.fromiter(map(itemgetter(0), rows), dtype=np.int64, count=n)
        vals = np.fromiter(map(itemgetter(1), rows), dtype=np.float64, count=n)
        idx_parts.append(idx + offset if offset else idx)
        val_parts.append(vals if w == 1.0 else w * vals)
    if not idx_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    if len(idx_parts) == 1:
        return idx_parts[0], val_parts[0]
    return np.concatenate(idx_parts), np.concatenate(val_parts)


def _clip(v: float) -> float:
    if math.isnan(v) or v < 0.0:
        return 0.0
    return min(v, 100.0)
