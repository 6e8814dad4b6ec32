"""All runtime settings in one place (env prefix GOSPABLIK_, plus REDIS_URL)."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
TOKEN_NAME = re.compile(r"[A-Za-z0-9_.-]{1,40}")
TOKEN_TEXT = re.compile(r"[A-Za-z0-9._~+/-]+=*")  # RFC 6750 b64token: fits a Bearer header
MIN_TOKEN_CHARS = 16
NEW_TOKEN = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"


def parse_tokens(raw: str, var: str = "GOSPABLIK_API_TOKENS") -> list[tuple[str, str]]:
    """Return (name, token) pairs of a comma-separated list of `token` or `name=token`.

    A bare token is named `token-` + 8 hex digits of its SHA-256: stable across restarts and
    reorderings (a batch remembers the name of its token), and the token cannot be read back.
    Errors name the token by its position or name, never by its text.
    """
    out: list[tuple[str, str]] = []
    for i, part in enumerate((p.strip() for p in raw.split(",")), 1):
        if not part:
            continue
        name, sep, token = part.partition("=")
        if not sep or not token.strip("="):  # no name (a base64 token may end in "=")
            name, token = "", part
        name, token = name.strip(), token.strip()
        if not name:
            name = "token-" + hashlib.sha256(token.encode()).hexdigest()[:8]
        elif not TOKEN_NAME.fullmatch(name):
            raise ValueError(f"{var}: имя {i}-го токена — латинские буквы, цифры, «.», «-», «_», "
                             "до 40 знаков")
        if len(token) < MIN_TOKEN_CHARS or not TOKEN_TEXT.fullmatch(token):
            raise ValueError(f"{var}: токен «{name}» короче {MIN_TOKEN_CHARS} знаков или с "
                             f"недопустимыми знаками; создайте новый: {NEW_TOKEN}")
        out.append((name, token))
    return out


class Settings(BaseSettings):
    """Service settings; invalid values refuse to start with a message."""

    # hide_input_in_errors: a refused value may be an access token; never echo it
    model_config = SettingsConfigDict(env_prefix="GOSPABLIK_", extra="ignore",
                                      hide_input_in_errors=True)

    max_text_chars: int = Field(30_000, description="longest text accepted, characters")
    models_dir: Path = Field(REPO_ROOT / "models", description="where trained artifacts live")
    redis_url: str | None = Field(
        None, validation_alias=AliasChoices("REDIS_URL", "GOSPABLIK_REDIS_URL")
    )
    local_workers: int = Field(2, description="workers started by `serve` with embedded Redis")
    data_dir: Path = Field(
        Path.home() / ".gospablik", description="where the embedded Redis keeps its files"
    )
    results_ttl_seconds: int = Field(7 * 24 * 3600, description="how long batch results are kept")
    chunk_size: int = Field(500, description="posts per RQ job")
    max_batch_posts: int = Field(250_000, description="largest batch accepted")
    text_cache: int = Field(
        2_500, ge=0, description="analysed texts kept by a batch process (workers, `score`, "
        "`report`): reposts are analysed once; about 70 KB each (2,500: ~175 MB)")
    draft_text_cache: int = Field(
        64, ge=0, description="analysed texts kept by the API process (drafts rarely repeat)")
    api_tokens: SecretStr | None = Field(
        None, description="comma-separated `token` or `name=token`: when set, /v1/* (but the "
        "draft check) and the region page's data need `Authorization: Bearer <token>`")
    admin_tokens: SecretStr | None = Field(
        None, description="same form; these tokens also read every batch, whoever sent it")
    open_drafts: bool = Field(True, description="with tokens: the draft check needs none")
    max_queued_posts_per_token: int = Field(
        500_000, ge=1, description="with tokens: posts of a token's unfinished batches, at most")
    drafts_per_second: float = Field(
        20.0, ge=0, description="with tokens: drafts per second per token (or per IP when "
        "drafts are open), per API process; 0 = no limit")
    drafts_burst: int = Field(40, ge=1, description="drafts a client may send at once")
    database_url: str | None = Field(
        None, description="history database (postgresql://user:pass@host/db); unset: SQLite "
        "file history.sqlite3 in the data dir")
    timezone: str = Field("Europe/Moscow", description="time zone of the weeks in the history")
    history: bool = Field(True, description="record every finished batch in the history")

    @field_validator("max_text_chars")
    @classmethod
    def _limit_sane(cls, v: int) -> int:
        if v < 20_000:
            raise ValueError("GOSPABLIK_MAX_TEXT_CHARS must be at least 20000")
        return v

    @field_validator("local_workers", "chunk_size")
    @classmethod
    def _positive(cls, v: int) -> int:
        if v < 1:
            raise ValueError("must be a positive number")
        return v

    @field_validator("timezone")
    @classmethod
    def _zone_known(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"GOSPABLIK_TIMEZONE: неизвестный часовой пояс «{v}»; нужен вида "
                             "Europe/Moscow или Asia/Yekaterinburg") from None
        return v

    @model_validator(mode="after")
    def _tokens_sane(self) -> Settings:
        table = self.tokens()  # parses both lists: a bad entry refuses to start
        for what, seen in (("имя", [n for n, _, _ in table]), ("токен", [t for _, t, _ in table])):
            if len(set(seen)) < len(seen):
                raise ValueError(f"GOSPABLIK_API_TOKENS, GOSPABLIK_ADMIN_TOKENS: {what} "
                                 "повторяется — у каждого токена своё имя и свой текст")
        return self

    def tokens(self) -> list[tuple[str, str, bool]]:
        """Return (name, token, admin) of every configured token; empty when access is open."""
        return [(name, token, admin)
                for var, secret, admin in (("GOSPABLIK_API_TOKENS", self.api_tokens, False),
                                           ("GOSPABLIK_ADMIN_TOKENS", self.admin_tokens, True))
                if secret is not None
                for name, token in parse_tokens(secret.get_secret_value(), var)]


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings (tests may clear the cache)."""
    return Settings()


def models_path(*parts: str) -> Path:
    """Return a path under the models dir (GOSPABLIK_MODELS_DIR): every artifact is found
    there, never next to the code, so an installed package (the Docker image) finds them too."""
    return get_settings().models_dir.joinpath(*parts)
