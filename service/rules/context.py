"""What every rule receives: the post, its analysis and what earlier stages computed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from service.nlp.document import Doc
from service.officialese import Hit
from service.readability import Readability
from service.schemas import PostIn


@dataclass(slots=True)
class Context:
    """The analysed post handed to each rule."""

    post: PostIn
    doc: Doc
    platform: str  # vk | ok | telegram | max ("vk" when not given)
    kantselyarit: list[Hit]
    readability: Readability
    extra: dict[str, Any] = field(default_factory=dict)  # facts, rubric, ... from later stages
