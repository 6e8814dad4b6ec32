"""JSON parsed and written fast (orjson) with the json module's results and error messages.

A region is 30,000 posts of a few kilobytes each: the standard module costs seconds there.
"""

from __future__ import annotations

import json
import re
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


class TooDeepError(json.JSONDecodeError):
    """JSON nested deeper than MAX_DEPTH: a bad row or a 4xx, never a crash."""


MAX_INT_DIGITS = 4300  # Python's int() refuses longer digit strings (CVE-2020-10735)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _parse_int(digits: str) -> int | float:
    """Return an int, or ±inf for a digit string too long for int() (refused by the schema)."""
    return int(digits) if len(digits) <= MAX_INT_DIGITS else float(digits)


def _valid_text(s: str) -> str:
    """Return `s` with lone surrogates (a `\\ud83d` cut off its pair) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", s) if _SURROGATE.search(s) else s


def _clean(value: Any) -> Any:
    """Return `value` with every string (keys too) valid UTF-8 text; walked iteratively."""
    if isinstance(value, str):
        return _valid_text(value)
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            if any(_SURROGATE.search(k) for k in v):
                items = [(_valid_text(k), x) for k, x in v.items()]
                v.clear()
                v.update(items)
            for k, x in v.items():
                if isinstance(x, str):
                    v[k] = _valid_text(x)
                elif isinstance(x, dict | list):
                    stack.append(x)
        elif isinstance(v, list):
            for i, x in enumerate(v):
                if isinstance(x, str):
                    v[i] = _valid_text(x)
                elif isinstance(x, dict | list):
                    stack.append(x)
    return value


def loads(line: str | bytes) -> Any:
    """Return one JSON value parsed fast (orjson), as json.loads would return it, made safe.

    Input nested deeper than MAX_DEPTH raises `TooDeepError` (a `json.JSONDecodeError`: a bad
    row, not a crash). What orjson refuses and the json module takes is made safe to use: lone
    surrogates in strings become U+FFFD (they cannot be written back as UTF-8), a number with
    more digits than int() takes becomes ±inf, and NaN/Infinity stay floats; the schema then
    refuses those numbers naming the field. Invalid UTF-8 raises `UnicodeDecodeError`.
    """
    value: Any = None
    parsed = False
    if _fast_loads is not None:
        try:
            value, parsed = _fast_loads(line), True
        except ValueError:  # NaN, huge ints, surrogates, very deep nesting: the standard parser
            pass
    if not parsed:
        try:
            value = json.loads(line, parse_int=_parse_int)
        except RecursionError:
            raise _too_deep(line) from None
    if too_deep(value):
        raise _too_deep(line)
    return value if parsed else _clean(value)


def _too_deep(line: str | bytes) -> TooDeepError:
    """Return the error for JSON nested deeper than MAX_DEPTH."""
    doc = line.decode("utf-8", "replace") if isinstance(line, bytes) else line
    return TooDeepError(f"вложенность глубже {MAX_DEPTH} уровней", doc[:80], 0)


def dumps(obj: Any) -> bytes:
    """Return `obj` as compact UTF-8 JSON (orjson; the standard encoder for what it refuses)."""
    if _fast_dumps is not None:
        try:
            return _fast_dumps(obj, option=OPT_NON_STR_KEYS)
        except TypeError:  # e.g. a numpy scalar: the json module turns it into a number
            pass
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()
