"""Posts as CSV: our schema flattened (page_id, page_name, …, views, likes …) and common aliases."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from typing import Any

from service.errors import InputError
from service.readers.common import METRIC_KEYS, Row, to_count
from service.schemas import FLAT_PAGE_FIELDS

POST_COLUMNS = ("text", "id", "platform", "published_at", "attachments", "is_repost")
# Column names of other tools' exports (Telegram dumps, spreadsheets in Russian) -> ours.
ALIASES = {
    "message_id": "id", "post_id": "id", "channel": "page_name", "channel_name": "page_name",
    "sender_id": "page_id", "owner_id": "page_id", "channel_id": "page_id", "date": "published_at",
    "datetime": "published_at", "created_at": "published_at", "forwards": "reposts",
    "shares": "reposts", "reactions": "likes", "replies": "comments",
    "subscribers": "page_subscribers", "members": "page_subscribers",
    "текст": "text", "дата": "published_at", "площадка": "platform", "просмотры": "views",
    "лайки": "likes", "репосты": "reposts", "комментарии": "comments", "страница": "page_name",
    "подписчики": "page_subscribers", "вложения": "attachments",
}
TELEGRAM_HINTS = {"message_id", "channel", "channel_name", "channel_id", "forwards"}
TRUE = {"1", "true", "yes", "да", "y"}
FALSE = {"0", "false", "no", "нет", "n", ""}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def canonical(column: str) -> str:
    """Return our name of a CSV column (`metrics.views` -> views, `page.id` -> page_id)."""
    c = column.strip().lower().lstrip("\ufeff")
    c = c.removeprefix("metrics.").removeprefix("metrics_")
    if c.startswith("page."):
        c = "page_" + c[5:]
    return ALIASES.get(c, c)


def sniff_delimiter(header: str) -> str:
    """Return the delimiter of a CSV header line (comma, semicolon from Excel, or tab)."""
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_csv(text: str) -> Iterator[Row]:
    """Yield a row per CSV record; `line` is the file line where the record starts."""
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first))
    try:
        header = next(reader)
    except StopIteration:
        return
    columns = [canonical(c) for c in header]
    if "text" not in columns:
        raise InputError(
            "input", "в CSV нет столбца text: первая строка должна содержать названия столбцов "
            "(text, id, published_at, views, likes, page_id …)")
    guess_platform = "telegram" if TELEGRAM_HINTS & {c.strip().lower() for c in header} else None
    prev_end = reader.line_num
    for record in reader:
        start, prev_end = prev_end + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        rec = dict(zip(columns, record, strict=False))
        rid = (rec.get("id") or "").strip() or None
        if len(record) > len(columns):
            yield Row(start, None, InputError(
                "csv", f"в строке {len(record)} полей, а в заголовке {len(columns)}: "
                "проверьте кавычки и разделители"), rid)
            continue
        try:
            yield Row(start, record_to_post(rec, guess_platform), None, rid)
        except InputError as exc:
            yield Row(start, None, exc, rid)


def record_to_post(rec: dict[str, str], platform: str | None = None) -> dict[str, Any]:
    """Return a post dict in our schema from a CSV record keyed by canonical column names."""
    post: dict[str, Any] = {"text": rec.get("text") or ""}
    for key in ("id", "platform", "published_at", "attachments"):
        value = (rec.get(key) or "").strip()
        if value:
            post[key] = value
    if "platform" not in post and platform:
        post["platform"] = platform
    flag = (rec.get("is_repost") or "").strip().lower()
    if flag not in TRUE | FALSE:
        raise InputError("is_repost", "ожидается 1 или 0 (да или нет)")
    post["is_repost"] = flag in TRUE
    metrics = {k: to_count(rec.get(k), k) for k in METRIC_KEYS}
    if any(v is not None for v in metrics.values()):
        post["metrics"] = metrics
    page: dict[str, Any] = {}
    for col in FLAT_PAGE_FIELDS:
        value = (rec.get(col) or "").strip()
        if value:
            key = col[5:]
            page[key] = to_count(value, col) if key == "subscribers" else value
    if page:
        post["page"] = page
    return post
