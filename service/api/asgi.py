"""The base of our pure ASGI middlewares: they see HTTP requests; lifespan passes through.

Starlette's `@app.middleware("http")` wraps every response in a stream and costs about a
millisecond per request; these only watch the messages go by.
"""

from __future__ import annotations

from typing import Any


class HttpMiddleware:
    """Pure ASGI middleware: `http` handles each HTTP request; other scopes pass through."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope: Any, receive: Any, send: Any) -> None:
        """Handle one HTTP request (subclasses)."""
        await self.app(scope, receive, send)
