"""The app factory: settings in, FastAPI app out; heavy state loaded in the lifespan."""

from __future__ import annotations

import itertools
import logging
import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, PlainTextResponse

from service import __version__, logs
from service.api import auth, posts
from service.api.asgi import HttpMiddleware
from service.api.errors import document_errors, install_error_handlers
from service.api.metrics import METRICS
from service.models.loader import ready_probe as text_models_probe
from service.schemas import PostIn
from service.scoring import Scorer, settle_gc
from service.settings import Settings, get_settings

StartHook = Callable[[FastAPI], Any]
# Other parts (batch workers, embedded Redis) register start/stop hooks here.
ON_START: list[StartHook] = []
ON_STOP: list[StartHook] = []


class CountRequests(HttpMiddleware):
    """Pure ASGI middleware: request counts and latencies for /metrics.

    Starlette's `@app.middleware("http")` wraps every response in a stream and costs about a
    millisecond per request; this one only watches the response start go by.
    """

    async def http(self, scope: Any, receive: Any, send: Any) -> None:
        t0 = time.perf_counter()
        status, sent = 500, 0

        async def watch(message: Any) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            seconds = time.perf_counter() - t0
            METRICS.observe(scope["path"], status, seconds)
            if ACCESS_LOG.isEnabledFor(logging.INFO):
                ACCESS_LOG.info(access_line(scope, status, sent, seconds))


ACCESS_LOG = logging.getLogger("gospablik.access")
_REQUEST_NO = itertools.count(1)


def access_line(scope: Any, status: int, sent: int, seconds: float) -> str:
    """Return one access-log line: ids, sizes and timings, never a query string or a body.

    The path is the route's template (`/v1/batches/{batch_id}`) when a route matched, so ids
    typed into a URL by hand and any text in an unknown path stay out of the log too.
    """
    route = scope.get("route")
    path = getattr(route, "path", None) or "<нет такого адреса>"
    headers = dict(scope.get("headers") or [])
    size = headers.get(b"content-length", b"-").decode("latin-1")[:20]
    caller = getattr(scope.get("state", {}).get("caller"), "name", None) or "-"
    return (f"#{next(_REQUEST_NO)} {scope.get('method', '-')} {path} {status} "
            f"in={size} out={sent} {seconds * 1000:.1f}ms token={caller}")


def create_app(settings: Settings | None = None, scorer: Scorer | None = None) -> FastAPI:
    """Return the API app; the scorer is built once at start-up unless one is given."""
    settings = settings or get_settings()
    if os.environ.get("GOSPABLIK_LOGS") == "stderr":  # set by `gospablik serve` for its API
        logs.configure()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.scorer = scorer or Scorer(settings, text_cache=settings.draft_text_cache)
        app.state.scorer.score({"text": "Прогрев: запись на приём открыта."})  # warm caches
        settle_gc()  # the loaded models are never walked by the garbage collector again
        for hook in ON_START:
            hook(app)
        yield
        for hook in ON_STOP:
            hook(app)

    app = FastAPI(
        title="gospablik",
        version=__version__,
        description="Оценка постов госпабликов: читаемость, польза, вовлечённость, активность.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.include_router(posts.router)
    for name in ("service.api.pages", "service.api.batches", "service.api.history",
                 "service.api.cards", "service.web"):
        _include_optional(app, name)

    app.add_middleware(auth.TokenGate, settings=settings)  # inside CountRequests: 401s counted
    app.add_middleware(CountRequests)

    @app.get("/healthz", tags=["service"], summary="Процесс жив")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    ready_schema = {"application/json": {"schema": {"type": "object", "required": ["status"]}}}

    @app.get("/readyz", tags=["service"], summary="Модели загружены, Redis доступен",
             responses={200: {"description": "готов", "content": ready_schema},
                        503: {"description": "не готов: что именно — в полях ответа",
                              "content": ready_schema}})
    async def readyz(request: Request) -> JSONResponse:
        checks: dict[str, Any] = {"scorer": hasattr(request.app.state, "scorer")}
        for probe in READY_PROBES:
            checks.update(probe(request.app))
        ok = all(v is not False for v in checks.values())
        return JSONResponse(
            {"status": "ok" if ok else "not ready", "version": __version__, **checks},
            status_code=200 if ok else 503,
        )

    @app.get("/metrics", tags=["service"], summary="Метрики Prometheus",
             response_class=PlainTextResponse,
             responses={200: {"description": "текстовый формат Prometheus 0.0.4",
                              "content": {"text/plain": {"schema": {"type": "string"}}}}})
    async def metrics() -> Response:
        return Response(METRICS.render(), media_type="text/plain; version=0.0.4")

    def custom_openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, routes=app.routes,
                             description=app.description)
        comps = schema.setdefault("components", {}).setdefault("schemas", {})
        post_schema = PostIn.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in post_schema.pop("$defs", {}).items():
            comps[name] = sub
        comps["PostIn"] = post_schema
        document_errors(schema)  # every 422 is our {"error": {field, message}}
        auth.document(schema, settings)  # bearer scheme, 401/429 where tokens are needed
        app.openapi_schema = schema
        return schema

    app.openapi = custom_openapi  # type: ignore[method-assign]
    return app


ReadyProbe = Callable[[FastAPI], dict[str, Any]]
READY_PROBES: list[ReadyProbe] = [text_models_probe]


def _include_optional(app: FastAPI, module: str) -> None:
    """Include the router of `module` when that part of the service is installed."""
    import importlib

    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return
        raise
    app.include_router(mod.router)
