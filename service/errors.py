"""Domain errors; mapped to HTTP status codes only at the API edge."""

from __future__ import annotations


class GospablikError(Exception):
    """Base class of all errors this service reports to users."""


class InputError(GospablikError):
    """A submitted post or file is invalid; `field` names what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def as_dict(self) -> dict[str, str]:
        """Return the error as a JSON-ready object."""
        return {"field": self.field, "message": self.message}


class NotFoundError(GospablikError):
    """A requested object (batch, page) does not exist."""


class ModelError(GospablikError):
    """A trained artifact is missing or incompatible; the message says how to fix it."""


class UnavailableError(GospablikError):
    """A backing service (Redis) is not reachable."""
