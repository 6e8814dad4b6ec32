"""The scoring core: one post in, scores, feedback and moderation out. Shared by API, CLI, jobs."""

from __future__ import annotations

import gc
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields, replace
from typing import Any

from service import __version__
from service.errors import InputError
from service.feedback import Item, order_items
from service.nlp.document import Doc
from service.nlp.pipeline import Pipeline, get_pipeline
from service.officialese import find_kantselyarit
from service.readability import assess
from service.rules import RULES, TEXT_RULES, Context
from service.schemas import PostIn, parse_post
from service.settings import Settings, get_settings
from service.stages import STAGES
from service.stages.usefulness_stage import predict_chunk

# Weights of the axes in `overall` (over the axes that are available for a post).
AXIS_WEIGHTS = {"readability": 1.0, "usefulness": 1.0, "engagement": 1.0, "activity": 1.0}
BLOCKED_OVERALL_CAP = 20.0  # overall of a post with profanity or personal data
NOT_YET = "оценка этой оси появится в следующей версии сервиса"
NO_ACTIVITY = "у отдельного черновика нет активности: она считается по истории страницы"
NO_METRICS = "нет метрик поста (просмотров и реакций): вовлечённость не считается"
_MISSING = object()  # not in a doc's cache


class Scorer:
    """Scores posts; heavy state (morphology, models) is built once in the constructor."""

    def __init__(self, settings: Settings | None = None, pipeline: Pipeline | None = None,
                 text_cache: int | None = None) -> None:
        self.settings = settings or get_settings()
        self.pipeline = pipeline or get_pipeline()
        self.text_cache = self.settings.text_cache if text_cache is None else text_cache
        self._docs: OrderedDict[str, Doc] = OrderedDict()

    def analyse(self, text: str) -> Doc:
        """Return the analysed text, shared with earlier posts of the same text (LRU).

        Everything cached on a `Doc` depends on the text alone (or carries the page in its
        key), so a region's reposts and a draft sent again unchanged cost only their
        page-specific parts.
        """
        doc = self._docs.get(text)
        if doc is not None:
            self._docs.move_to_end(text)
            return doc
        doc = self._docs[text] = self.pipeline.analyse(text)
        if len(self._docs) > self.text_cache:
            self._docs.popitem(last=False)
        return doc

    def forget_texts(self) -> None:
        """Drop the analysed texts kept for reposts (their memory is freed for other work)."""
        self._docs.clear()

    def parse(self, data: Any) -> PostIn:
        """Return a validated post or raise `InputError`."""
        return parse_post(data, self.settings.max_text_chars)

    def score(self, data: Any) -> dict[str, Any]:
        """Return the scored post for one raw input object (raises `InputError` when invalid)."""
        post = data if isinstance(data, PostIn) else self.parse(data)
        return self.score_post(post)

    def score_post(self, post: PostIn, doc: Doc | None = None) -> dict[str, Any]:
        """Return the scored post for a validated post (`doc`: its text, already analysed)."""
        doc = doc if doc is not None else self.analyse(post.text)
        # `doc.memo` written out (the same look-ups, without a closure per result)
        cache: dict[object, Any] = doc.cache
        hits = cache.get("kantselyarit", _MISSING)
        if hits is _MISSING:
            hits = cache["kantselyarit"] = find_kantselyarit(doc)
        readability = cache.get("readability", _MISSING)
        if readability is _MISSING:
            readability = cache["readability"] = assess(doc, hits)
        ctx = Context(post, doc, post.platform or "vk", hits, readability)
        for stage in STAGES:
            stage(ctx)
        items: list[Item] = []
        for rule in RULES:
            if rule in TEXT_RULES:  # same text, same items: copies, as gains change below
                key = ("rule", rule)
                done = cache.get(key, _MISSING)
                if done is _MISSING:
                    done = cache[key] = tuple(rule(ctx))
                items.extend(map(_copy_item, done))
            else:
                items.extend(rule(ctx))

        usefulness = dict(
            ctx.extra.get("usefulness") or {"score": None, "rubric": None, "reason": NOT_YET}
        )
        facts = ctx.extra.get("facts")
        if facts is not None:
            usefulness["facts"] = facts.as_dict()  # type: ignore[attr-defined]
        engagement = ctx.extra.get("engagement") or {
            "score": None, "reason": NO_METRICS if post.metrics is None else NOT_YET}
        activity = ctx.extra.get("activity") or {"score": None, "reason": NO_ACTIVITY}
        axes: dict[str, float | None] = {
            "readability": readability.score,
            "usefulness": usefulness.get("score"),
            "engagement": engagement.get("score"),
            "activity": activity.get("score"),
        }
        available = {k: v for k, v in axes.items() if v is not None}
        wsum = sum(AXIS_WEIGHTS[k] for k in available)
        overall = sum(AXIS_WEIGHTS[k] * v for k, v in available.items()) / wsum
        for it in items:  # axis points -> overall points
            if it.axis in AXIS_WEIGHTS:
                it.gain = it.gain * AXIS_WEIGHTS[it.axis] / wsum
        blocking = [it for it in items if it.severity == "error"]
        if blocking and overall > BLOCKED_OVERALL_CAP:
            # a post that must not be published cannot rank as good; fixing it restores the rest
            for it in blocking:
                it.gain = (overall - BLOCKED_OVERALL_CAP) / len(blocking)
            overall = BLOCKED_OVERALL_CAP
        ordered = order_items(items)
        return {
            "id": post.id,
            "platform": post.platform,
            "scores": {**{k: _r(v) for k, v in axes.items()}, "overall": _r(overall)},
            "readability": readability.as_dict(),
            "usefulness": usefulness,
            "engagement": engagement,
            "activity": activity,
            "moderation": {
                "blocked": bool(blocking),
                "reasons": [it.message for it in blocking],
            },
            "feedback": [it.as_dict() for it in ordered],
            "fix_first": ordered[0].as_dict() if ordered else None,
            "version": __version__,
        }

    def score_rows(self, rows: Iterable[Any]) -> Iterator[dict[str, Any]]:
        """Yield one result per raw row, in order; a bad row yields its `error` instead."""
        for n, row in enumerate(rows, 1):
            yield self.score_row(row, n)

    def score_row(self, row: Any, line: int | None = None) -> dict[str, Any]:
        """Return the scored row, or an object with `id`, `line` and `error` when it is invalid."""
        try:
            return self.score(row)
        except InputError as exc:
            return _refused(row, line, exc)

    def score_chunk(self, rows: Sequence[Any], lines: Sequence[int | None] | None = None,
                    ) -> list[dict[str, Any] | Exception]:
        """Return `score_row` of every row, in order, the models predicting the chunk at once.

        A row that breaks the scorer gets its exception in its place; the others are scored.
        The cyclic garbage collector waits for the end of the chunk: the few cycles a chunk
        leaves (a few thousand objects) are collected then, instead of a dozen collections
        rescanning the caches it grew (about a tenth of the chunk's time).
        """
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return self._score_chunk(rows, lines)
        finally:
            if was_enabled:
                gc.enable()

    def _score_chunk(self, rows: Sequence[Any], lines: Sequence[int | None] | None,
                     ) -> list[dict[str, Any] | Exception]:
        lines = lines if lines is not None else [None] * len(rows)
        posts: list[PostIn | dict[str, Any] | Exception] = []
        for row, line in zip(rows, lines, strict=True):
            try:
                posts.append(row if isinstance(row, PostIn) else self.parse(row))
            except InputError as exc:
                posts.append(_refused(row, line, exc))
            except Exception as exc:  # noqa: BLE001 - reported in its row
                posts.append(exc)
        docs: dict[str, Doc | Exception] = {}  # held for the chunk, whatever the LRU keeps
        for p in posts:
            if isinstance(p, PostIn) and p.text not in docs:
                try:
                    docs[p.text] = self.analyse(p.text)
                except Exception as exc:  # noqa: BLE001 - reported in its rows
                    docs[p.text] = exc
        valid = [p for p in posts if isinstance(p, PostIn) and isinstance(docs[p.text], Doc)]
        try:
            predict_chunk(valid, [docs[p.text] for p in valid])  # type: ignore[misc]
        except Exception:  # noqa: BLE001 - the posts are then predicted one by one
            pass
        out: list[dict[str, Any] | Exception] = []
        for item in posts:
            if not isinstance(item, PostIn):
                out.append(item)
                continue
            doc = docs[item.text]
            if isinstance(doc, Exception):
                out.append(doc)
                continue
            try:
                out.append(self.score_post(item, doc))
            except Exception as exc:  # noqa: BLE001 - one broken post must not sink its chunk
                out.append(exc)
        return out


_ITEM_FIELDS = ("code", "axis", "severity", "message", "start", "end", "fragment", "suggestion",
                "gain")
_ITEM_COPY_EXACT = tuple(f.name for f in fields(Item) if f.init) == _ITEM_FIELDS and all(
    f.init for f in fields(Item))


def _copy_item(it: Item) -> Item:
    """Return `dataclasses.replace(it)`: a new item with the same fields (a plain call is faster)."""
    if type(it) is not Item or not _ITEM_COPY_EXACT:
        return replace(it)
    return Item(it.code, it.axis, it.severity, it.message, it.start, it.end, it.fragment,
                it.suggestion, it.gain)


def _refused(row: Any, line: int | None, exc: InputError) -> dict[str, Any]:
    """Return the result of a row that was refused: its `id`, `line` and `error`."""
    rid = row.get("id") if isinstance(row, dict) else None
    out: dict[str, Any] = {"id": None if rid is None else str(rid), "error": exc.as_dict()}
    if line is not None:
        out["line"] = line
    return out


def settle_gc() -> None:
    """Collect garbage, then exempt what survives (models, caches) from later collections.

    The models and the caches grow into millions of objects; without this, every full
    collection walks them all again (about a tenth of a worker's time, and pauses of 100 ms
    and more in the API).
    """
    gc.collect()
    gc.freeze()


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 1)
