"""Page metadata from a pages CSV: id, name, type, category, subscribers, region, municipality."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from service.errors import InputError
from service.readers.common import decode, read_source, to_count
from service.readers.csv_posts import sniff_delimiter

COLUMNS = {
    "id": "id", "page_id": "id", "owner_id": "id", "channel_id": "id", "name": "name",
    "page_name": "name", "channel": "name", "type": "type", "page_type": "type",
    "category": "category", "page_category": "category", "subscribers": "subscribers",
    "page_subscribers": "subscribers", "members": "subscribers", "members_count": "subscribers",
    "region": "region", "page_region": "region", "platform": "platform",
    "название": "name", "тип": "type", "категория": "category", "подписчики": "subscribers",
    "регион": "region", "municipality": "municipality", "page_municipality": "municipality",
    "муниципалитет": "municipality", "район": "municipality",
}


def read_pages(source: str | Path | bytes) -> dict[str, dict[str, Any]]:
    """Return page metadata by page id from a pages CSV; raise `InputError` naming the line."""
    raw, _ = read_source(source)
    text = decode(raw)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text[:2000]))
    header = next(reader, None)
    if not header:
        return {}
    keys = [COLUMNS.get(h.strip().lower().lstrip("\ufeff")) for h in header]
    if "id" not in keys:
        raise InputError("pages", "в файле страниц нет столбца id (или page_id)")
    pages: dict[str, dict[str, Any]] = {}
    for record in reader:
        if not any(c.strip() for c in record):
            continue
        page: dict[str, Any] = {}
        for key, cell in zip(keys, record, strict=False):
            value = cell.strip()
            if key and value:
                if key == "subscribers":
                    try:
                        page[key] = to_count(value, key)
                    except InputError as exc:
                        raise InputError(
                            "pages", f"строка {reader.line_num}, подписчики: {exc.message}"
                        ) from None
                else:
                    page[key] = value
        if page.get("id"):
            pages[page["id"]] = page
    return pages
