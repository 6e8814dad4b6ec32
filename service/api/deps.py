"""Dependencies: heavy state loaded in the lifespan, reached by routes through these."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.scoring import Scorer
from service.settings import Settings


def get_scorer(request: Request) -> Scorer:
    """Return the scorer built at start-up."""
    return request.app.state.scorer  # type: ignore[no-any-return]


def get_app_settings(request: Request) -> Settings:
    """Return the settings the app was created with."""
    return request.app.state.settings  # type: ignore[no-any-return]


ScorerDep = Annotated[Scorer, Depends(get_scorer)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
