"""Access by bearer tokens (GOSPABLIK_API_TOKENS): who calls, which paths need a token, and who
may read a batch. The limits per token are in `service.api.limits`."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import sys
from dataclasses import dataclass
from typing import Any, TextIO

import redis
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse

from service.api.asgi import HttpMiddleware
from service.api.errors import error_body
from service.api.limits import RateLimiter, too_many
from service.api.metrics import METRICS
from service.errors import NotFoundError
from service.jobs.store import Keys, as_str
from service.settings import Settings

DRAFT = ("POST", "/v1/posts/score")
PROTECTED = ("/v1/", "/region/")  # the API and the region page's data; pages themselves load
STATE_KEY = "caller"  # request.state.caller: the Caller, None without tokens or anonymous

MISSING = ("нужен токен доступа: пришлите заголовок «Authorization: Bearer <токен>»; токен "
           "выдаёт администратор сервиса")
WRONG = "токен не подошёл: проверьте его или попросите новый у администратора сервиса"
MALFORMED = "заголовок Authorization должен быть таким: «Bearer <токен>»"

# The JSON error as an OpenAPI schema, for 401/429 when the shared `Error` is missing.
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["field", "message"], "properties": {
        "field": {"type": "string"}, "message": {"type": "string"}}}},
}


@dataclass(frozen=True)
class Caller:
    """Whoever sent a request with a valid token: the token's name, and whether it reads all."""

    name: str
    admin: bool = False


class Tokens:
    """The configured tokens, kept as SHA-256 digests and matched in constant time."""

    def __init__(self, table: list[tuple[str, str, bool]]) -> None:
        self._table = [(name, _digest(token), admin) for name, token, admin in table]

    def __bool__(self) -> bool:
        return bool(self._table)

    def match(self, given: str) -> Caller | None:
        """Return the caller whose token this is, or None; every token is compared every time."""
        digest, found = _digest(given), None
        for name, known, admin in self._table:
            if hmac.compare_digest(digest, known):  # equal lengths: digests, not the tokens
                found = Caller(name, admin)
        return found


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


def access(method: str, path: str, open_drafts: bool) -> str:
    """Return what a request needs: "open" (no token looked at), "optional" or "required"."""
    if (method, path) == DRAFT and open_drafts:
        return "optional"
    return "required" if path.startswith(PROTECTED) else "open"


def unauthorized(message: str, invalid: bool = False) -> JSONResponse:
    """Return the 401 answer: the JSON error and a `WWW-Authenticate: Bearer` challenge."""
    challenge = 'Bearer realm="gospablik"' + (', error="invalid_token"' if invalid else "")
    return JSONResponse(error_body("Authorization", message), status_code=401,
                        headers={"WWW-Authenticate": challenge})


class TokenGate(HttpMiddleware):
    """Pure ASGI middleware: checks the bearer token where one is needed, limits drafts per
    client, counts requests per token name. Without tokens it passes everything through."""

    def __init__(self, app: Any, settings: Settings) -> None:
        super().__init__(app)
        self.tokens = Tokens(settings.tokens())
        self.open_drafts = settings.open_drafts
        self.drafts = RateLimiter(settings.drafts_per_second, settings.drafts_burst)

    async def http(self, scope: Any, receive: Any, send: Any) -> None:
        if not self.tokens:
            await self.app(scope, receive, send)
            return
        path = _route_path(scope)
        need = access(scope["method"], path, self.open_drafts)
        if need == "open":
            await self.app(scope, receive, send)
            return
        header = Headers(scope=scope).get("authorization")
        caller = None
        if header is not None:
            scheme, _, given = header.strip().partition(" ")
            if scheme.lower() != "bearer" or not given.strip():
                await unauthorized(MALFORMED, invalid=True)(scope, receive, send)
                return
            caller = self.tokens.match(given.strip())
            if caller is None:
                await unauthorized(WRONG, invalid=True)(scope, receive, send)
                return
        elif need == "required":
            await unauthorized(MISSING)(scope, receive, send)
            return
        scope.setdefault("state", {})[STATE_KEY] = caller
        if (scope["method"], path) == DRAFT and (refused := self._draft_refused(scope, caller)):
            await refused(scope, receive, send)
            return
        if caller is None:
            await self.app(scope, receive, send)
            return

        async def watch(message: Any) -> None:
            if message["type"] == "http.response.start":
                METRICS.observe_token(caller.name, message["status"])
            await send(message)

        await self.app(scope, receive, watch)

    def _draft_refused(self, scope: Any, caller: Caller | None) -> JSONResponse | None:
        """Return the 429 answer when this client sends drafts faster than allowed."""
        client = scope.get("client")
        key = caller.name if caller else "ip:" + (client[0] if client else "?")
        wait = self.drafts.take(key)
        if not wait:
            return None
        return too_many("rate", f"слишком много проверок подряд: можно {self.drafts.rate:g} в "
                        "секунду; подождите немного и повторите", wait)


def _route_path(scope: Any) -> str:
    """Return the path the router matches (without the root path a proxy may add)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root):] if root and path.startswith(root) else path


def caller_of(request: Request) -> Caller | None:
    """Return who sent the request: None without tokens (or an anonymous draft)."""
    return getattr(request.state, STATE_KEY, None)  # type: ignore[no-any-return]


def not_found(batch_id: str) -> NotFoundError:
    """Return the error of an unknown batch (the same words as `batch.find`)."""
    return NotFoundError(
        f"пакет «{batch_id}» не найден: проверьте номер; результаты хранятся ограниченное время")


def check_reader(request: Request, conn: redis.Redis, batch_id: str) -> None:
    """Raise 404 (as if the batch did not exist) unless the caller may read this batch.

    A batch is read by the token that sent it (its `owner`), or by an admin token. 404 rather
    than 403: batch ids come from the content, so a 403 would tell that someone sent the file.
    """
    caller = caller_of(request)
    if caller is None or caller.admin:
        return
    if as_str(conn.hget(Keys(batch_id).meta, "owner")) != caller.name:
        raise not_found(batch_id)


def document(schema: dict[str, Any], settings: Settings) -> None:
    """Add the bearer scheme, `security` and the 401/429 answers to the OpenAPI schema, for the
    operations the gate guards with these settings (without tokens nothing is guarded)."""
    if not settings.tokens():
        return
    comps = schema.setdefault("components", {})
    comps.setdefault("securitySchemes", {})["bearer"] = {
        "type": "http", "scheme": "bearer",
        "description": "токен из GOSPABLIK_API_TOKENS или GOSPABLIK_ADMIN_TOKENS"}
    shared = "Error" in comps.get("schemas", {})  # service.api.errors.document_errors
    err = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"} if shared
                                else ERROR_SCHEMA}}
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            need = access(method.upper(), path, settings.open_drafts)
            if need == "open":
                continue
            answers = op.setdefault("responses", {})
            answers.setdefault("401", {"description": "нет токена или он не подошёл",
                                       "content": err})
            op["security"] = [{"bearer": []}] + ([{}] if need == "optional" else [])
            if (method.upper(), path) in (DRAFT, ("POST", "/v1/batches")):
                answers.setdefault("429", {
                    "description": "превышен лимит: повторите через Retry-After секунд",
                    "headers": {"Retry-After": {"schema": {"type": "integer"}}}, "content": err})


def exposure_warning(host: str, settings: Settings) -> str | None:
    """Return the loud start-up warning for a non-loopback address without tokens, or None."""
    if settings.tokens() or _loopback(host):
        return None
    bar = "!" * 78
    return (f"{bar}\nВНИМАНИЕ: сервис слушает адрес {host}, а токены доступа не заданы.\n"
            "Любой, кто дотянется до этого порта, сможет отправлять пакеты, читать результаты и "
            "отчёты\nвсех пакетов и нагружать процессор. Задайте GOSPABLIK_API_TOKENS (README, "
            "«Доступ по токенам»)\nили слушайте только 127.0.0.1 за обратным прокси.\n" + bar)


def announce(host: str, settings: Settings, out: TextIO | None = None) -> None:
    """Print at start-up whether access needs tokens (their names only) or the warning."""
    out = out or sys.stderr
    table = settings.tokens()
    if table:
        names = ", ".join(n + (" (читает все пакеты)" if admin else "") for n, _, admin in table)
        drafts = "открыта" if settings.open_drafts else "тоже по токену"
        print(f"Доступ по токенам: {names}; проверка черновиков {drafts}.", file=out)
    elif (warning := exposure_warning(host, settings)) is not None:
        print(warning, file=out)


def _loopback(host: str) -> bool:
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve to anything
