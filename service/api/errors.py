"""Map domain errors and request-parsing errors to JSON 4xx answers at the API edge, declare
them in the OpenAPI spec, and answer anything unexpected with a JSON 500 logged without input."""

from __future__ import annotations

import json
import logging
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.api.asgi import HttpMiddleware
from service.api.body_limit import BodyLimit, BodyTooLarge
from service.errors import InputError, ModelError, NotFoundError, UnavailableError
from service.fastjson import MAX_DEPTH, TooDeepError, loads
from service.logs import safe_traceback
from service.schemas import _pydantic_message

log = logging.getLogger("gospablik.errors")


class ErrorField(BaseModel):
    """What was wrong: the field (dotted path, `body`, `path` …) and a message in Russian."""

    field: str
    message: str


class Error(BaseModel):
    """Every error answer of the service: `{"error": {"field": …, "message": …}}`."""

    error: ErrorField


ANSWERS = {
    400: "тело запроса не читается: не JSON или повреждённая форма",
    404: "нет такого объекта (пакета, отчёта)",
    409: "пакет ещё обрабатывается: в ответе есть и его состояние (`batch`)",
    413: "слишком большой запрос или текст",
    422: "ошибка во входных данных: `field` называет поле",
    503: "сервис не готов: нет Redis или моделей",
}


def answers(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Return the `responses=` of a route: each of `codes` with the error schema, as JSON
    whatever the route's own answers are (`document_errors` adds the `Error` component)."""
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return {code: {"description": ANSWERS[code], "content": content} for code in codes}


def error_body(field: str, message: str) -> dict[str, Any]:
    """Return the JSON body of an error answer."""
    return {"error": {"field": field, "message": message}}


# Starlette's own 400s come from parsing a multipart form; its messages are in English.
FORM_ERRORS = {
    "Missing boundary": "в заголовке Content-Type формы нет boundary",
    "Invalid multipart": "форма повреждена или оборвана",
    "Too many": "в форме слишком много полей или файлов",
    "must be provided": "у части формы нет имени (name)",
}
VALIDATION_MESSAGES = {
    "bool_parsing": "ожидается true или false",
    "json_invalid": "тело запроса — не корректный JSON: проверьте кавычки и скобки",
}


def install_error_handlers(app: FastAPI) -> None:
    """Register handlers so no bad input ever reaches the client as a 500 or a traceback."""
    app.add_middleware(ContainErrors)
    app.add_middleware(BodyLimit)

    @app.exception_handler(InputError)
    async def _input(_: Request, exc: InputError) -> JSONResponse:
        too_big = isinstance(exc, BodyTooLarge) or (
            "слишком" in exc.message and exc.field in ("text", "file"))
        return JSONResponse(error_body(exc.field, exc.message), status_code=413 if too_big else 422)

    @app.exception_handler(NotFoundError)
    async def _not_found(_: Request, exc: NotFoundError) -> JSONResponse:
        return JSONResponse(error_body("id", str(exc)), status_code=404)

    @app.exception_handler(UnavailableError)
    async def _unavailable(_: Request, exc: UnavailableError) -> JSONResponse:
        return JSONResponse(error_body("service", str(exc)), status_code=503)

    @app.exception_handler(ModelError)
    async def _model(_: Request, exc: ModelError) -> JSONResponse:
        return JSONResponse(error_body("model", str(exc)), status_code=503)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        # pydantic's error carries the `input`: it is never logged nor echoed back whole.
        err = exc.errors()[0] if exc.errors() else {}
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        field = ".".join(loc) or "body"
        typ = err.get("type", "")
        if typ == "json_invalid":
            return JSONResponse(error_body("body", VALIDATION_MESSAGES[typ]), status_code=400)
        if typ == "string_pattern_mismatch":
            allowed = str(err.get("ctx", {}).get("pattern", "")).strip("^$()").replace("|", ", ")
            message = f"недопустимое значение; можно: {allowed}"
        else:
            message = VALIDATION_MESSAGES.get(typ) or _pydantic_message(dict(err))
        return JSONResponse(error_body(field, message), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        status, detail = exc.status_code, str(exc.detail)
        if status == 405:
            field, message = "method", "этот метод не поддерживается по этому адресу"
        elif status == 404:
            field, message = "path", "такого адреса нет: список методов — /docs"
        elif status == 400:  # a multipart form Starlette could not parse
            if "exceeded maximum size" in detail:
                status, message = 413, "поле формы слишком большое"
            else:
                message = next((ru for en, ru in FORM_ERRORS.items() if en in detail),
                               "форма не читается")
            field = "body"
        else:
            field, message = "path", detail
        return JSONResponse(error_body(field, message), status_code=status,
                            headers=dict(exc.headers or {}))  # 405 keeps its Allow


class ContainErrors(HttpMiddleware):
    """Pure ASGI middleware: an unexpected exception becomes a JSON 500 with a request number,
    logged as its type and frames only (its message may quote a post), never re-raised — so the
    server does not log the full traceback either."""

    async def http(self, scope: Any, receive: Any, send: Any) -> None:
        started = False

        async def watch(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            number = secrets.token_hex(6)
            size = Headers(scope=scope).get("content-length", "?")
            log.error("request %s: %s %s (body %s bytes) failed%s:\n%s", number, scope["method"],
                      scope["path"], size, " mid-answer" if started else "", safe_traceback(exc))
            if not started:
                await JSONResponse(error_body(
                    "server", f"внутренняя ошибка сервиса (запрос {number}): она записана в "
                    "журнал; сообщите номер администратору"), status_code=500)(scope, receive, send)


def parse_json_body(raw: bytes) -> Any:
    """Return the parsed JSON of a request body or raise `InputError` for the `body` field."""
    if not raw.strip():
        raise InputError("body", "пустое тело запроса: пришлите JSON-объект поста")
    try:
        return loads(raw)
    except TooDeepError:
        raise InputError(
            "body", f"в JSON слишком глубокая вложенность (больше {MAX_DEPTH} уровней): пост — это "
            "объект с полями text, page, metrics …"
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            "body", f"тело запроса — не корректный JSON ({exc.__class__.__name__}): проверьте кавычки и скобки"
        ) from None


def document_errors(schema: dict[str, Any]) -> None:
    """Make every 422 of the OpenAPI schema ours (FastAPI's default is its `detail` list)."""
    comps = schema.get("components", {}).get("schemas", {})
    if "Error" not in comps:
        comps["Error"] = Error.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in comps["Error"].pop("$defs", {}).items():
            comps.setdefault(name, sub)
    ours = {"description": ANSWERS[422],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for ops in schema.get("paths", {}).values():
        for op in ops.values():
            answer = op.get("responses", {}).get("422")
            if answer and "HTTPValidationError" in json.dumps(answer):
                op["responses"]["422"] = ours
    for name in ("HTTPValidationError", "ValidationError"):
        comps.pop(name, None)
