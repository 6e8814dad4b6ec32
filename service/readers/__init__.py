"""Readers of post files into our post schema, with a row (and an error) per input item.

Formats: JSON Lines or a JSON array in our schema, CSV (our columns flattened), the VK API
`wall.get` response, a Telegram Desktop export (`result.json`), OK API `mediatopic.getByIds` /
`stream.get` responses, MAX Bot API `GET /messages` / `GET /updates` responses.
See docs/formats.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from service.errors import InputError
from service.fastjson import loads
from service.readers.common import NO_TEXT, PageIndex, Row, decode, read_source
from service.readers.csv_posts import read_csv
from service.readers.jsonl import read_json_array, read_jsonl
from service.readers.max import is_max, read_max
from service.readers.ok import is_ok, read_ok
from service.readers.pages import read_pages
from service.readers.telegram import is_telegram, read_telegram
from service.readers.vk import is_vk, read_vk

FORMATS = ("jsonl", "csv", "vk", "telegram", "ok", "max", "json")
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "csv",
              ".txt": "csv"}
FORMAT_ALIASES = {"vk": "vk", "wall.get": "vk", "telegram": "telegram", "tg": "telegram",
                  "jsonl": "jsonl", "ndjson": "jsonl", "json": "json", "csv": "csv",
                  "ok": "ok", "odnoklassniki": "ok", "одноклассники": "ok", "max": "max",
                  "макс": "max"}


def read_posts(
    source: str | Path | bytes,
    fmt: str | None = None,
    pages: str | Path | dict[str, dict[str, Any]] | None = None,
) -> Iterator[Row]:
    """Return an iterator of rows of a post file (a path, "-" for stdin, or bytes).

    `fmt` is one of jsonl, csv, vk, telegram, ok, max, json (detected from the extension or the
    content when None). `pages` is a pages CSV path or the dict `read_pages` returns; its
    metadata fills each post's page. Raises `InputError` at once for a missing or unreadable
    file; problems of single items come as rows with `error`.
    """
    raw, name = read_source(source)
    index = PageIndex(pages if isinstance(pages, dict) or pages is None else read_pages(pages))
    text = decode(raw)
    rows = _rows(text, _format(fmt, name, text))
    return (_merge(row, index) for row in rows)


def _merge(row: Row, index: PageIndex) -> Row:
    if row.data is not None:
        index.merge(row.data)
        if row.id is None and row.data.get("id") is not None:
            row.id = str(row.data["id"])
        if row.error is None and not str(row.data.get("text") or "").strip():
            row.error = InputError("text", NO_TEXT)  # a real post, counted by activity
    return row


def _format(fmt: str | None, name: str, text: str) -> str:
    if fmt:
        key = FORMAT_ALIASES.get(fmt.strip().lower())
        if key is None:
            raise InputError("format", f"неизвестный формат «{fmt}»: допустимы jsonl, csv, vk, "
                             "telegram, ok, max")
        return key
    ext = Path(name).suffix.lower() if name else ""
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    head = text.lstrip()[:1]
    if head in ("{", "["):
        return "json"
    return "csv"


def _rows(text: str, fmt: str) -> Iterator[Row]:
    if not text.strip():
        raise InputError("input", "файл пустой: в нём нет постов")
    if fmt == "csv":
        return read_csv(text)
    if fmt == "jsonl":
        return read_jsonl(text)
    try:
        obj = loads(text)
    except json.JSONDecodeError:
        if fmt == "json" and _some_line_parses(text):  # several objects, one a line
            return read_jsonl(text)
        raise InputError("input", f"файл не читается как JSON (формат {fmt})") from None
    if fmt == "vk" or (fmt == "json" and is_vk(obj)):
        if not isinstance(obj, dict) or not is_vk(obj):
            raise InputError("input", "это не ответ VK API wall.get: нет response.items")
        return read_vk(obj)
    if fmt == "ok" or (fmt == "json" and is_ok(obj)):
        return read_ok(obj)  # refuses a document that is not an OK response
    if fmt == "max" or (fmt == "json" and is_max(obj)):  # before Telegram: both have messages
        return read_max(obj)
    if fmt == "telegram" or (fmt == "json" and is_telegram(obj)):
        if not is_telegram(obj):
            raise InputError("input", "это не выгрузка Telegram Desktop: нет списка messages")
        return read_telegram(obj)
    if isinstance(obj, list):
        return read_json_array(obj)
    if isinstance(obj, dict):  # a single post
        return read_json_array([obj])
    raise InputError("input", "ожидается JSON-объект или список постов")


def _some_line_parses(text: str) -> bool:
    """Return True when a line of `text` is JSON (JSON Lines); usually the first one is."""
    for line in text.splitlines():
        if line.strip():
            try:
                loads(line)
            except json.JSONDecodeError:
                continue
            return True
    return False


__all__ = ["FORMATS", "Row", "read_pages", "read_posts"]
