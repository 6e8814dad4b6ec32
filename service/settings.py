"""All runtime settings in one place (env prefix GOSPABLIK_, plus REDIS_URL)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Service settings; invalid values refuse to start with a message."""

    model_config = SettingsConfigDict(env_prefix="GOSPABLIK_", extra="ignore")

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
        6_000, ge=0, description="analysed texts kept by a batch process (workers, `score`, "
        "`report`): reposts are analysed once; about 45 KB each (6,000: ~270 MB)")
    draft_text_cache: int = Field(
        64, ge=0, description="analysed texts kept by the API process (drafts rarely repeat)")

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


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings (tests may clear the cache)."""
    return Settings()


def models_path(*parts: str) -> Path:
    """Return a path under the models dir (GOSPABLIK_MODELS_DIR): every artifact is found
    there, never next to the code, so an installed package (the Docker image) finds them too."""
    return get_settings().models_dir.joinpath(*parts)
