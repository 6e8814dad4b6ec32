"""JSON parsed and written fast (orjson) with the json module's results and error messages.

A region is 30,000 posts of a few kilobytes each: the standard module costs seconds there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

_fast_loads: Callable[[str | bytes], Any] | None
_fast_dumps: Callable[..., bytes] | None
try:
    from orjson import OPT_NON_STR_KEYS
    from orjson import dumps as _fast_dumps
    from orjson import loads as _fast_loads
except ModuleNotFoundError:  # pragma: no cover - orjson is optional
    _fast_loads = _fast_dumps = None


MAX_DEPTH = 64  # no post is nested deeper; deeper input is an attack or a broken export


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Return True when lists/objects in `value` nest deeper than `limit` (checked iteratively)."""
    stack = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, dict):
            v = list(v.values())
        elif not isinstance(v, list):
            continue
        if depth > limit:
            return True
        stack.extend((x, depth + 1) for x in v if isinstance(x, (dict, list)))
    return False


def loads(line: str | bytes) -> Any:
    """Return one JSON value parsed fast (orjson), exactly as json.loads would return it.

    Input nested deeper than MAX_DEPTH raises `json.JSONDecodeError` (a bad row, not a crash).
    """
    value: Any = None
    parsed = False
    if _fast_loads is not None:
        try:
            value, parsed = _fast_loads(line), True
        except ValueError:  # NaN, huge ints, very deep nesting: left to the standard parser
            pass
    if not parsed:
        try:
            value = json.loads(line)
        except RecursionError:
            raise _too_deep(line) from None
    if too_deep(value):
        raise _too_deep(line)
    return value


def _too_deep(line: str | bytes) -> json.JSONDecodeError:
    """Return the error for JSON nested deeper than MAX_DEPTH."""
    doc = line.decode("utf-8", "replace") if isinstance(line, bytes) else line
    return json.JSONDecodeError(f"вложенность глубже {MAX_DEPTH} уровней", doc[:80], 0)


def dumps(obj: Any) -> bytes:
    """Return `obj` as compact UTF-8 JSON (orjson; the standard encoder for what it refuses)."""
    if _fast_dumps is not None:
        try:
            return _fast_dumps(obj, option=OPT_NON_STR_KEYS)
        except TypeError:  # e.g. a numpy scalar: the json module turns it into a number
            pass
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()
