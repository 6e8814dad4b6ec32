"""Feedback items: what to fix, where, how, and how many points it gains."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["info", "warning", "error"]
Axis = Literal["readability", "usefulness", "engagement", "activity", "moderation"]

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass(slots=True)
class Item:
    """One feedback item, as DESIGN.md defines it."""

    code: str
    axis: Axis
    severity: Severity
    message: str
    start: int | None = None
    end: int | None = None
    fragment: str | None = None
    suggestion: str | None = None
    gain: float = 0.0  # points of the overall score gained when fixed

    def as_dict(self) -> dict[str, Any]:
        """Return the item as a JSON-ready object."""
        return {
            "code": self.code,
            "axis": self.axis,
            "severity": self.severity,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "fragment": self.fragment,
            "suggestion": self.suggestion,
            "gain": round(self.gain, 1),
        }


def order_items(items: list[Item]) -> list[Item]:
    """Return items ordered for the reader: blocking errors first, then by gain, then position."""
    return sorted(
        items,
        key=lambda i: (
            0 if i.severity == "error" else 1,
            -round(i.gain, 1),
            i.start if i.start is not None else -1,
        ),
    )
