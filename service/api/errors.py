"""Map domain errors and request-parsing errors to JSON 4xx answers at the API edge."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.errors import InputError, ModelError, NotFoundError, UnavailableError
from service.fastjson import MAX_DEPTH, too_deep
from service.schemas import _pydantic_message


def error_body(field: str, message: str) -> dict[str, Any]:
    """Return the JSON body of an error answer."""
    return {"error": {"field": field, "message": message}}


def install_error_handlers(app: FastAPI) -> None:
    """Register handlers so no bad input ever reaches the client as a 500 or a traceback."""

    @app.exception_handler(InputError)
    async def _input(_: Request, exc: InputError) -> JSONResponse:
        status = 413 if "слишком" in exc.message and exc.field in ("text", "file") else 422
        return JSONResponse(error_body(exc.field, exc.message), status_code=status)

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
        err = exc.errors()[0] if exc.errors() else {}
        loc = [str(p) for p in err.get("loc", ()) if p != "body"]
        field = ".".join(loc) or "body"
        if err.get("type") == "json_invalid":
            return JSONResponse(
                error_body("body", "тело запроса — не корректный JSON: проверьте кавычки и скобки"),
                status_code=400,
            )
        return JSONResponse(error_body(field, _pydantic_message(dict(err))), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {404: "такого адреса нет: список методов — /docs",
                    405: "этот метод не поддерживается по этому адресу"}
        return JSONResponse(
            error_body("path", messages.get(exc.status_code, str(exc.detail))),
            status_code=exc.status_code,
        )


def parse_json_body(raw: bytes) -> Any:
    """Return the parsed JSON of a request body or raise `InputError` for the `body` field."""
    if not raw.strip():
        raise InputError("body", "пустое тело запроса: пришлите JSON-объект поста")
    try:
        value = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            "body", f"тело запроса — не корректный JSON ({exc.__class__.__name__}): проверьте кавычки и скобки"
        ) from None
    except RecursionError:
        value = None
        deep = True
    else:
        deep = too_deep(value)
    if deep:
        raise InputError(
            "body", f"в JSON слишком глубокая вложенность (больше {MAX_DEPTH} уровней): пост — это "
            "объект с полями text, page, metrics …"
        )
    return value
