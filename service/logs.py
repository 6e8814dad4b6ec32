"""Logging without post texts: tracebacks that say where, never what, and the log setup.

An exception's message can quote its input (`invalid literal for int(): 'паспорт 4510 …'`), and
pydantic's errors carry the whole `input`; so logs get the exception's type and its frames
(file, line, function, the line of code), request ids, sizes and timings — never a message.
"""

from __future__ import annotations

import logging
import sys
import traceback

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def safe_traceback(exc: BaseException) -> str:
    """Return the frames and exception types of `exc` and its causes, without their messages."""
    parts: list[str] = []
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        lines = [f'  File "{f.filename}", line {f.lineno}, in {f.name}'
                 + (f"\n    {f.line.strip()}" if f.line else "")
                 for f in traceback.extract_tb(cur.__traceback__)]
        kind = type(cur)
        lines.append(f"{kind.__module__}.{kind.__qualname__} (message not logged)")
        parts.append("\n".join(lines))
        cur = cur.__cause__ or (None if cur.__suppress_context__ else cur.__context__)
    return "\nwhile handling:\n".join(reversed(parts))


def configure(level: int = logging.INFO) -> None:
    """Send the service's own logs (`gospablik.*`) to stderr at `level`, once per process."""
    logger = logging.getLogger("gospablik")
    logger.setLevel(level)
    if not any(getattr(h, "_gospablik", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        handler._gospablik = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.propagate = False
