"""Progress over weeks: each page's figures per ISO week, kept in a real database.

Embedded SQLite (`history.sqlite3` in the data directory) by default, PostgreSQL when
GOSPABLIK_DATABASE_URL is set. Only figures are kept (counts, axis means, problem counts,
ranks), never post texts; nothing is deleted. See README («История»).

Public API (helper code elsewhere relies on these names):
- `get_store(settings=None) -> HistoryStore` — one per process and database URL (lazy);
  `reset_store()` closes them (tests).
- `HistoryStore.record(rows, pages, region, tz, source) -> RecordSummary`
- `HistoryStore.page_history(page_id)`, `.pages_history(page_ids)`, `.region_history(region)`
- `record_rows(rows, pages, source)` — record with the settings' store and time zone.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from service.history.store import HistoryStore, RecordSummary

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from service.settings import Settings

__all__ = ["HistoryStore", "RecordSummary", "database_url", "get_store", "record_rows",
           "reset_store"]

_STORES: dict[str, HistoryStore] = {}
_LOCK = threading.Lock()


def database_url(settings: Settings | None = None) -> str:
    """Return the history database URL: GOSPABLIK_DATABASE_URL, else SQLite in the data dir."""
    from service.history.db import sqlite_url
    from service.settings import get_settings

    s = settings or get_settings()
    if s.database_url:
        return s.database_url
    s.data_dir.mkdir(parents=True, exist_ok=True)
    return sqlite_url(s.data_dir / "history.sqlite3")


def get_store(settings: Settings | None = None) -> HistoryStore:
    """Return the process's store for the settings' database (created on first use)."""
    url = database_url(settings)
    with _LOCK:
        store = _STORES.get(url)
        if store is None:
            store = _STORES[url] = HistoryStore(url)
        return store


def reset_store() -> None:
    """Close and forget every store of this process (tests, after changing settings)."""
    with _LOCK:
        for store in _STORES.values():
            store.close()
        _STORES.clear()


def record_rows(rows: Iterable[dict[str, Any]], pages: Mapping[str, Mapping[str, Any]] | None,
                source: str, region: str | None = None,
                settings: Settings | None = None) -> RecordSummary:
    """Record scored rows in the settings' store, in the settings' time zone."""
    from service.settings import get_settings

    s = settings or get_settings()
    return get_store(s).record(rows, pages, region=region, tz=s.timezone, source=source)
