"""The usefulness stage: usefulness 0–100 with reasons, the rubric, and «what if» fact gains."""

from __future__ import annotations

from service.models.features import PostRecord, for_page, make_record
from service.models.loader import text_models_or_error
from service.rules.context import Context
from service.settings import get_settings


def usefulness_stage(ctx: Context) -> None:
    """Set `ctx.extra["usefulness"]` and `ctx.extra["usefulness_gain"]` (after the facts stage)."""
    models = text_models_or_error(get_settings().models_dir)
    if isinstance(models, Exception):
        ctx.extra["usefulness"] = {"score": None, "rubric": None, "reason": str(models),
                                   "model_version": None}
        return
    post = ctx.post
    page_type = post.page.type if post.page else None
    # Everything the model sees; a repost of the same text on the same kind of page reuses it.
    key = ("usefulness", models.version, page_type, ctx.platform, tuple(post.attachments))

    def predict() -> tuple[dict[str, object], object]:
        # The text's own record is built once; each page variant shares its text-only rows.
        def text_record() -> PostRecord:
            facts = ctx.extra.get("facts") if models.has_facts else None
            return make_record(ctx.doc, None, None, (), facts)

        base = ctx.doc.memo(("record", models.version), text_record)
        record = for_page(base, page_type, ctx.platform, post.attachments)
        pred = models.predict_one(record, post.text)
        out = {
            "score": pred.score,
            "rubric": pred.rubric,
            "rubric_confidence": pred.rubric_confidence,
            "rubric_second": pred.rubric_second,
            "reasons": pred.reasons,
            "model_version": models.version,
        }
        return out, models.gain_function(record)

    out, gain = ctx.doc.memo(key, predict)
    ctx.extra["usefulness"] = dict(out)
    ctx.extra["usefulness_gain"] = gain
