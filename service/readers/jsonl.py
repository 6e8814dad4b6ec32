"""Posts in our own schema: JSON Lines (one object a line) or a JSON array of objects."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from service.errors import InputError
from service.fastjson import loads
from service.readers.common import METRIC_KEYS, Row, to_count
from service.schemas import fold_page_fields


def check_post(data: Any) -> dict[str, Any]:
    """Return `data` as a post dict with clean counts; raise `InputError` for what a reader sees.

    Full validation (dates, platform, language) is the scorer's; this only catches what
    would make the row useless to the report: no text, counts that are not numbers.
    """
    if not isinstance(data, dict):
        raise InputError("body", "ожидается JSON-объект поста с полем text")
    text = data.get("text")
    if text is None:
        raise InputError("text", "обязательное поле отсутствует")
    if not isinstance(text, str):
        raise InputError("text", "ожидается строка")
    fold_page_fields(data)
    metrics = data.get("metrics")
    if metrics is not None:
        if not isinstance(metrics, dict):
            raise InputError("metrics", "ожидается объект {views, likes, reposts, comments}")
        data["metrics"] = {k: to_count(metrics.get(k), f"metrics.{k}") for k in METRIC_KEYS}
    page = data.get("page")
    if page is not None and not isinstance(page, dict):
        raise InputError("page", "ожидается объект {id, name, type, category, subscribers}")
    if isinstance(page, dict) and "subscribers" in page:
        page["subscribers"] = to_count(page["subscribers"], "page.subscribers")
    return data


def read_jsonl(text: str) -> Iterator[Row]:
    """Yield a row per non-empty line of JSON Lines; `line` is the file line."""
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = loads(line)
        except json.JSONDecodeError as exc:
            yield Row(n, None, InputError("json", f"строка не читается как JSON: {exc.msg}"))
            continue
        yield _row(n, obj)


def read_json_array(items: list[Any]) -> Iterator[Row]:
    """Yield a row per item of a JSON array of posts; `line` is the item number."""
    for n, obj in enumerate(items, 1):
        yield _row(n, obj)


def _row(n: int, obj: Any) -> Row:
    rid = obj.get("id") if isinstance(obj, dict) else None
    rid = None if rid is None else str(rid)
    try:
        return Row(n, check_post(obj), None, rid)
    except InputError as exc:
        return Row(n, None, exc, rid)
