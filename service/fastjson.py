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


def loads(line: str | bytes) -> Any:
    """Return one JSON value parsed fast (orjson), exactly as json.loads would return it."""
    if _fast_loads is not None:
        try:
            return _fast_loads(line)
        except ValueError:  # NaN, huge ints: what only the standard parser accepts
            pass
    return json.loads(line)


def dumps(obj: Any) -> bytes:
    """Return `obj` as compact UTF-8 JSON (orjson; the standard encoder for what it refuses)."""
    if _fast_dumps is not None:
        try:
            return _fast_dumps(obj, option=OPT_NON_STR_KEYS)
        except TypeError:  # e.g. a numpy scalar: the json module turns it into a number
            pass
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()
