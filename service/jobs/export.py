"""Batch results as CSV: one flat row per scored post (for Excel and BI tools)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

# (column, path into the result object)
COLUMNS: list[tuple[str, tuple[str, ...]]] = [
    ("line", ("line",)),
    ("id", ("id",)),
    ("platform", ("platform",)),
    ("published_at", ("published_at",)),
    ("page_id", ("page", "id")),
    ("page_name", ("page", "name")),
    ("overall", ("scores", "overall")),
    ("readability", ("scores", "readability")),
    ("usefulness", ("scores", "usefulness")),
    ("engagement", ("scores", "engagement")),
    ("activity", ("scores", "activity")),
    ("grade_level", ("readability", "grade_level")),
    ("rubric", ("usefulness", "rubric")),
    ("blocked", ("moderation", "blocked")),
    ("fix_first", ("fix_first", "message")),
    ("fix_first_code", ("fix_first", "code")),
    ("error_field", ("error", "field")),
    ("error_message", ("error", "message")),
    # «оценка по просмотрам» … when the engagement rests on inferred numbers (empty when given)
    ("engagement_note", ("engagement", "estimate_note")),
]
BATCH = 500  # rows per yielded piece of text


def _get(obj: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def flat_row(result: dict[str, Any]) -> list[Any]:
    """Return the CSV cells of one result object."""
    cells = []
    for name, path in COLUMNS:
        value = _get(result, path)
        if name == "blocked" and value is not None:
            value = "да" if value else "нет"
        cells.append("" if value is None else value)
    cells.append(len(result.get("feedback") or []))
    return cells


def csv_lines(lines: Iterable[str]) -> Iterator[str]:
    """Yield CSV text (header first, BOM for Excel) for JSON result lines."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([name for name, _ in COLUMNS] + ["feedback_items"])
    yield "\ufeff" + buf.getvalue()
    buf.seek(0)
    buf.truncate()
    n = 0
    for line in lines:
        if not line:
            continue
        writer.writerow(flat_row(json.loads(line)))
        n += 1
        if n % BATCH == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    if buf.getvalue():
        yield buf.getvalue()
