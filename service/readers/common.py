"""What every reader shares: the `Row` it yields, opening a source, counts and page metadata."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from service.errors import InputError
from service.schemas import MAX_COUNT

# VK gives unix time; госпаблики mostly post on Moscow time, so hours are shown in it.
MSK = timezone(timedelta(hours=3), "MSK")
NO_TEXT = "пост без текста (только вложения): оценивать нечего, но в активности он учтён"
PAGE_KEYS = ("id", "name", "type", "category", "subscribers", "region")
METRIC_KEYS = ("views", "likes", "reposts", "comments")
COUNT_DIGITS = len(str(MAX_COUNT)) + 1  # longer digit strings are refused before int()


@dataclass(slots=True)
class Row:
    """One item of an input file: a post in our schema, or the error that stops it.

    `line` is the file line for JSON Lines and CSV, the item number for VK and Telegram
    exports. An error row may still carry `data` when the item is a real post that cannot
    be scored (e.g. a photo without text): activity can count it.
    """

    line: int
    data: dict[str, Any] | None
    error: InputError | None = None
    id: str | None = None  # the item's id when known, also for rows without data


def read_source(source: str | Path | bytes) -> tuple[bytes, str]:
    """Return the raw bytes of `source` (a path, "-" for stdin, or bytes) and its name."""
    if isinstance(source, bytes | bytearray):
        return bytes(source), ""
    name = str(source)
    if name == "-":
        return sys.stdin.buffer.read(), ""
    path = Path(name)
    if not path.exists():
        raise InputError("input", f"файл «{name}» не найден: проверьте путь")
    if path.is_dir():
        raise InputError("input", f"«{name}» — это папка, а нужен файл с постами")
    try:
        return path.read_bytes(), path.name
    except OSError as exc:
        raise InputError("input", f"не удалось прочитать файл «{name}»: {exc.strerror}") from None


def decode(raw: bytes) -> str:
    """Return the text of `raw`: UTF-8 (with or without BOM), else Windows-1251 from Excel."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1251", errors="replace")


def to_count(value: Any, field: str) -> int | None:
    """Return a non-negative count from a number or text like «1 234»; raise `InputError`."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InputError(field, "ожидается число")
    if isinstance(value, int):
        n = value
    elif isinstance(value, float):
        if not value.is_integer():  # NaN, infinity or a fraction
            raise InputError(field, f"ожидается целое число, а здесь {value!r}")
        n = int(value)
    elif isinstance(value, str):
        s = value.strip().replace("\u00a0", "").replace(" ", "")
        if s.endswith(".0"):
            s = s[:-2]
        if not s.lstrip("-").isascii() or not s.lstrip("-").isdigit():  # «١٢» is a digit too
            raise InputError(field, f"ожидается целое число, а здесь «{value.strip()[:30]}»")
        if len(s) > COUNT_DIGITS:
            raise InputError(field, f"число слишком большое: можно не больше {MAX_COUNT}")
        n = int(s)
    else:
        raise InputError(field, "ожидается число")
    if n < 0:
        raise InputError(field, "число не может быть отрицательным")
    if n > MAX_COUNT:
        raise InputError(field, f"число слишком большое: можно не больше {MAX_COUNT}")
    return n


def unix_to_iso(value: Any, field: str = "date") -> str:
    """Return ISO 8601 (Moscow time) for a unix timestamp; raise `InputError` when invalid."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
        raise InputError(field, "ожидается дата в секундах Unix (целое число)")
    try:
        return datetime.fromtimestamp(value, tz=MSK).isoformat()
    except (OverflowError, OSError, ValueError):
        raise InputError(field, "дата вне допустимого диапазона") from None


def page_variants(pid: str) -> list[str]:
    """Return the spellings of a page id to look up (VK: -123, 123, club123, public123)."""
    out = [pid]
    bare = pid.lstrip("-")
    for prefix in ("club", "public", "id"):
        if bare.startswith(prefix) and bare[len(prefix):].isdigit():
            bare = bare[len(prefix):]
    if bare.isdigit():
        out += [bare, f"-{bare}", f"club{bare}", f"public{bare}"]
    return out


class PageIndex:
    """Page metadata from a pages file, found by page id (any VK spelling) or by name."""

    def __init__(self, pages: dict[str, dict[str, Any]] | None) -> None:
        self.by_id = dict(pages or {})
        self.by_name = {str(p.get("name", "")).strip().lower(): p
                        for p in self.by_id.values() if p.get("name")}

    def find(self, page: dict[str, Any]) -> dict[str, Any] | None:
        """Return the metadata of `page` from the pages file, or None."""
        pid = page.get("id")
        if pid not in (None, ""):
            for v in page_variants(str(pid)):
                if v in self.by_id:
                    return self.by_id[v]
        name = page.get("name")
        if name:
            return self.by_name.get(str(name).strip().lower())
        return None

    def merge(self, data: dict[str, Any]) -> dict[str, Any]:
        """Return `data` with its page filled from the pages file (the post's own values win)."""
        if not self.by_id:
            return data
        page = data.get("page")
        if not isinstance(page, dict):
            return data
        meta = self.find(page)
        if meta:
            data["page"] = {**meta, **{k: v for k, v in page.items() if v not in (None, "")}}
        return data
