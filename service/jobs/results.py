"""The stored form of a batch's results, in three parts per chunk.

- heads: one line per row, the JSON object without `scores`, `engagement` and its closing brace
  (a row with an error: its whole JSON object);
- tails: one line per row, `,"scores":…,"engagement":…}` (empty for a row with an error);
- views: what the region report reads of each row (about half of it).

A result line is its head followed by its tail. The report job reads the small views back,
adds the batch-level engagement and writes only new tails, so a region's results are never
parsed or rewritten in full.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import redis

from service.activity import fingerprint
from service.jobs.store import Keys, dumps, unpack_bytes
from service.report.posts import CARD_ITEMS, clip, excerpt_source

_fingerprint = lru_cache(maxsize=4096)(fingerprint)  # reposts: the same text many times

TAIL_KEYS = ("scores", "engagement")  # the fields the report job replaces (batch engagement)
# Not read by the report: fix_first is feedback[0] (restored when read back); `engagement` is
# replaced by the batch-level one for every row with scores; `activity` of a single post is
# a placeholder (the report measures activity per page).
VIEW_DROP = frozenset(("readability", "fix_first", "engagement", "activity", "version"))
VIEW_USEFULNESS = ("score", "rubric")


def split_line(out: dict[str, Any]) -> tuple[bytes, bytes]:
    """Return the head and the tail of a result's JSON line (`scores`, `engagement` last)."""
    if "scores" not in out:
        return dumps(out), b""
    head = dumps({k: v for k, v in out.items() if k not in TAIL_KEYS})[:-1]
    return head, tail_of(out.get("scores"), out.get("engagement"), first=head == b"{")


def tail_of(scores: Any, engagement: Any, first: bool = False) -> bytes:
    """Return the tail of a result line: its `scores` and `engagement` and the closing brace."""
    return (b"" if first else b",") + b'"scores":' + dumps(scores) + b',"engagement":' + \
        dumps(engagement) + b"}"


def join_lines(heads: bytes, tails: bytes | None) -> bytes:
    """Return the JSON Lines of a chunk from its stored heads and tails."""
    if tails is None:  # a chunk that failed for good: whole error lines
        return heads
    return b"\n".join(h + t for h, t in zip(heads.split(b"\n"), tails.split(b"\n"), strict=True))


def read_chunk(conn: redis.Redis, keys: Keys, k: int) -> bytes | None:
    """Return the JSON Lines of chunk `k`'s results (None when they are gone)."""
    heads, tails = conn.mget([keys.chunk_out(k), keys.chunk_tail(k)])
    if heads is None:
        return None
    return join_lines(unpack_bytes(heads), None if tails is None else unpack_bytes(tails))


def report_view(out: dict[str, Any], tail: bytes) -> dict[str, Any]:
    """Return what the region report reads of a result: no readability, reasons or facts,
    and of the text only the start its excerpts need.

    `_tail` says whether the line has a tail to rewrite; `_fp` is the text's copy fingerprint
    (service.activity), computed here, by the parallel chunk jobs, not by the report job.
    """
    view = {k: v for k, v in out.items() if k not in VIEW_DROP}
    use = out.get("usefulness")
    if isinstance(use, dict):
        view["usefulness"] = {k: use[k] for k in VIEW_USEFULNESS if k in use}
    items = out.get("feedback")
    if isinstance(items, list):
        view["feedback"] = _view_items(items)
    text = out.get("text")
    view["_fp"] = _fingerprint(text) if isinstance(text, str) else None
    if isinstance(text, str):
        view["text"] = excerpt_source(text)  # the report shows excerpts only
    view["_tail"] = bool(tail)
    return view


def _view_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return what the report reads of a post's feedback items.

    It shows the first CARD_ITEMS items of a post and, as examples of a problem, the first item
    of each code (items come biggest gain first); of the others it only counts code and gain.
    """
    out, seen = [], set()
    for n, it in enumerate(items):
        get = it.get
        code = get("code")
        if n < CARD_ITEMS or code not in seen:
            v = {"code": code, "axis": get("axis"), "severity": get("severity"),
                 "message": get("message"), "gain": get("gain"),
                 "fragment": clip(get("fragment")), "suggestion": get("suggestion")}
        else:
            v = {"code": code, "severity": get("severity"), "gain": get("gain")}
        seen.add(code)
        out.append(v)
    return out


def tails_of(views: list[dict[str, Any]]) -> list[bytes]:
    """Return the line tails of a chunk from its (engagement-updated) views."""
    return [tail_of(v.get("scores"), v.get("engagement")) if v.get("_tail") else b""
            for v in views]
