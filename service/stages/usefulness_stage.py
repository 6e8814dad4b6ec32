"""The usefulness stage: usefulness 0–100 with reasons, the rubric, and «what if» fact gains.

One post is predicted on its own (`usefulness_stage`); a chunk of posts (batch jobs, `score`)
is predicted first by `predict_chunk`, with one sparse matrix and one product per model, and
the stage then finds each post's result already on its `Doc`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from service.facts import extract_facts
from service.models.features import PostRecord, for_page, make_record
from service.models.loader import text_models_or_error
from service.models.text_model import Prediction, TextModels
from service.nlp.document import Doc
from service.rules.context import Context
from service.schemas import PostIn
from service.settings import get_settings


def _key(models: TextModels, post: PostIn, platform: str) -> tuple[Any, ...]:
    """Return the memo key of a post's usefulness: everything the model sees besides the text
    (a repost of the same text on the same kind of page reuses it)."""
    page_type = post.page.type if post.page else None
    return ("usefulness", models.version, page_type, platform, tuple(post.attachments))


def _record(models: TextModels, post: PostIn, doc: Doc, platform: str,
            facts: object) -> PostRecord:
    """Return the post's record: the text's own record is built once per `Doc`, and each
    page variant shares its text-only rows."""
    def text_record() -> PostRecord:
        # a reason quotes the span of a term of the usefulness model only
        return make_record(doc, None, None, (), facts if models.has_facts else None,
                           span_terms=models.usefulness_terms)

    base = doc.memo(("record", models.version), text_record)
    return for_page(base, post.page.type if post.page else None, platform, post.attachments)


def _output(models: TextModels, pred: Prediction, record: PostRecord,
            raw: float | None = None) -> tuple[dict[str, object], object]:
    out = {
        "score": pred.score,
        "rubric": pred.rubric,
        "rubric_confidence": pred.rubric_confidence,
        "rubric_second": pred.rubric_second,
        "reasons": pred.reasons,
        "model_version": models.version,
    }
    return out, models.gain_function(record, raw)


def usefulness_stage(ctx: Context) -> None:
    """Set `ctx.extra["usefulness"]` and `ctx.extra["usefulness_gain"]` (after the facts stage)."""
    models = text_models_or_error(get_settings().models_dir)
    if isinstance(models, Exception):
        ctx.extra["usefulness"] = {"score": None, "rubric": None, "reason": str(models),
                                   "model_version": None}
        return
    post = ctx.post

    def predict() -> tuple[dict[str, object], object]:
        record = _record(models, post, ctx.doc, ctx.platform, ctx.extra.get("facts"))
        return _output(models, models.predict_one(record, post.text), record)

    out, gain = ctx.doc.memo(_key(models, post, ctx.platform), predict)
    ctx.extra["usefulness"] = dict(out)
    ctx.extra["usefulness_gain"] = gain


def predict_chunk(posts: Sequence[PostIn], docs: Sequence[Doc]) -> None:
    """Predict the usefulness of many posts at once and keep each result on its `Doc`, where
    `usefulness_stage` finds it (posts already predicted, e.g. reposts, are skipped)."""
    models = text_models_or_error(get_settings().models_dir)
    if isinstance(models, Exception):
        return
    todo: dict[tuple[int, tuple[Any, ...]], tuple[PostIn, Doc, PostRecord]] = {}
    for post, doc in zip(posts, docs, strict=True):
        platform = post.platform or "vk"
        key = _key(models, post, platform)
        if key in doc.cache or (id(doc), key) in todo:
            continue
        facts = extract_facts(doc) if models.has_facts else None  # the facts stage's own, cached
        todo[id(doc), key] = (post, doc, _record(models, post, doc, platform, facts))
    if not todo:
        return
    items = list(todo.items())
    preds = models.predict_many([rec for _, (_, _, rec) in items],
                                [post.text for _, (post, _, _) in items])
    for ((_, key), (_, doc, record)), (pred, raw) in zip(items, preds, strict=True):
        doc.cache[key] = _output(models, pred, record, raw)
