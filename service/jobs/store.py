"""Redis keys of a batch and the compressed encoding of what is stored under them."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from service.fastjson import dumps, loads

PREFIX = "gsp:batch:"
COMPRESS_LEVEL = 1  # level 1 already shrinks scored JSON ~10x and costs little CPU


@dataclass(frozen=True)
class Keys:
    """The Redis keys of one batch."""

    batch_id: str

    @property
    def meta(self) -> str:
        """Hash: total, chunks, chunk_size, status, times, source, and `owner`: the name of
        the token that sent the batch (service.api.auth; absent without tokens)."""
        return f"{PREFIX}{self.batch_id}"

    @property
    def done(self) -> str:
        """Set of chunk numbers whose results are stored."""
        return f"{PREFIX}{self.batch_id}:done"

    @property
    def bad(self) -> str:
        """Hash chunk number -> rows of that chunk that carry an `error`."""
        return f"{PREFIX}{self.batch_id}:bad"

    @property
    def failed(self) -> str:
        """Hash chunk number -> why that chunk failed after all retries."""
        return f"{PREFIX}{self.batch_id}:failed"

    @property
    def report(self) -> str:
        """The region report, compressed JSON."""
        return f"{PREFIX}{self.batch_id}:report"

    @property
    def pages(self) -> str:
        """The uploaded pages file, compressed bytes (optional)."""
        return f"{PREFIX}{self.batch_id}:pages"

    @property
    def aggregate(self) -> str:
        """Guard so that exactly one report job is enqueued."""
        return f"{PREFIX}{self.batch_id}:agg"

    def chunk_in(self, k: int) -> str:
        """Input rows of chunk `k`: compressed JSON list of [line, post, error]."""
        return f"{PREFIX}{self.batch_id}:in:{k}"

    def chunk_out(self, k: int) -> str:
        """Results of chunk `k`: compressed line heads, one per input row (service.jobs.results).

        Without `chunk_tail(k)` (a chunk that failed for good) they are whole JSON lines.
        """
        return f"{PREFIX}{self.batch_id}:out:{k}"

    def chunk_tail(self, k: int) -> str:
        """The line tails of chunk `k`'s results (`scores`, `engagement`): compressed text."""
        return f"{PREFIX}{self.batch_id}:tail:{k}"

    def chunk_view(self, k: int) -> str:
        """Report views of chunk `k`'s results: compressed JSON list (service.jobs.results)."""
        return f"{PREFIX}{self.batch_id}:view:{k}"


def pack(obj: Any) -> bytes:
    """Return `obj` as compressed JSON."""
    return zlib.compress(dumps(obj), COMPRESS_LEVEL)


def unpack(blob: Any) -> Any:
    """Return the object stored by `pack`."""
    return loads(zlib.decompress(blob))


def pack_lines(lines: list[bytes]) -> bytes:
    """Return lines (without line breaks) compressed as one text."""
    return zlib.compress(b"\n".join(lines), COMPRESS_LEVEL)


def unpack_bytes(blob: Any) -> bytes:
    """Return the bytes stored by `pack_lines` or `pack_text`."""
    return zlib.decompress(blob)


def pack_text(text: str) -> bytes:
    """Return `text` compressed."""
    return zlib.compress(text.encode(), COMPRESS_LEVEL)


def as_int(value: Any, default: int = 0) -> int:
    """Return a Redis reply (bytes or None) as an int."""
    return default if value is None else int(value)


def as_str(value: Any) -> str | None:
    """Return a Redis reply (bytes or None) as text."""
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)
