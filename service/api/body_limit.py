"""The largest request body each route takes: beyond it a 413, before the body fills memory."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers
from starlette.responses import JSONResponse

from service.api.asgi import HttpMiddleware
from service.errors import InputError

MB = 1024 * 1024
# One post is at most 30,000 characters (6 bytes each as \u-escapes) plus its page and counts.
# A page report takes 5,000 posts; the region page a 64 MB file and a pages file; a batch up
# to 250,000 posts of a few kilobytes.
LIMITS = {"/v1/posts/score": 1 * MB, "/v1/pages/report": 64 * MB, "/region/report": 130 * MB,
          "/v1/batches": 1024 * MB}
DEFAULT = 1 * MB


class BodyTooLarge(InputError):
    """The request body is larger than the route takes (answered with 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__("body", f"запрос слишком большой: можно до {limit // MB} МБ; разделите "
                         "файл на части или пришлите его пакетами")


def limit_of(path: str) -> int:
    """Return the largest body in bytes the route at `path` takes."""
    return LIMITS.get(path.rstrip("/") or "/", DEFAULT)


class BodyLimit(HttpMiddleware):
    """Pure ASGI middleware: refuse a declared Content-Length over the limit at once, and stop
    reading a body (chunked, or longer than declared) when it passes the limit."""

    async def http(self, scope: Any, receive: Any, send: Any) -> None:
        limit = limit_of(scope["path"])
        declared = Headers(scope=scope).get("content-length", "").strip()
        if declared.isascii() and declared.isdigit() and (len(declared) > 15
                                                          or int(declared) > limit):
            exc = BodyTooLarge(limit)
            body = {"error": exc.as_dict()}
            await JSONResponse(body, status_code=413, headers={"Connection": "close"})(
                scope, receive, send)
            return
        seen = 0

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)  # answered as a 413 by the InputError handler
            return message

        await self.app(scope, counted, send)
