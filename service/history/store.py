"""The history store: page-week figures kept in SQLite or PostgreSQL, upserted per page and week."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, and_, bindparam, func, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from service.history.db import make_engine, migrate, write_transaction
from service.history.rank import ranks
from service.history.schema import AXES, page_weeks
from service.history.schema import pages as pages_table

if TYPE_CHECKING:
    from service.history.weeks import PageWeek

IMPROVED_TOP = 10  # pages named among those that improved or fell most


@dataclass(slots=True)
class RecordSummary:
    """What one `record` call wrote."""

    pages: int = 0  # pages with at least one week written
    rows: int = 0  # page-weeks written (silent weeks of pages without posts included)
    weeks: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """Return the summary as a JSON-ready dict."""
        return asdict(self)

    def message(self) -> str:
        """Return the summary in Russian for a person."""
        if not self.rows:
            return "в истории ничего не записано: у постов нет страниц или дат"
        return (f"в истории записано: страниц {self.pages}, недели "
                f"{', '.join(self.weeks)}")


class HistoryStore:
    """Per page and ISO week figures; `url` is a SQLAlchemy or postgres:// URL."""

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or make_engine(url)
        self._migrated = False

    # ---- writing ----

    def _ready(self) -> Engine:
        if not self._migrated:
            migrate(self.engine)
            self._migrated = True
        return self.engine

    def record(self, rows: Iterable[dict[str, Any]],
               pages: Mapping[str, Mapping[str, Any]] | None = None,
               region: str | None = None, tz: str = "Europe/Moscow",
               source: str = "batch") -> RecordSummary:
        """Record scored rows: one bulk upsert of every page and ISO week, ranked on the way.

        `pages` is the uploaded pages file by page id; `region` the fallback region of
        pages that name none. Re-recording a week replaces those pages' figures for it; a page
        of the pages file silent in a covered week gets posts 0 unless the week is on record.
        """
        from service.history.weeks import page_weeks as compute_weeks  # scoring's imports

        t0 = time.perf_counter()
        weeks, meta = compute_weeks(rows, pages, region, tz)
        summary = RecordSummary()
        if not weeks:
            summary.seconds = time.perf_counter() - t0
            return summary
        now = datetime.now(UTC)
        engine = self._ready()
        with write_transaction(engine) as conn:
            written = {w.page_id for w in weeks}
            page_rows = [{"page_id": pid, **{k: info.get(k) for k in
                                             ("name", "type", "category", "municipality",
                                              "platform")},
                          "region": info.get("region") or "", "updated_at": now}
                         for pid, info in meta.items() if pid in written]
            self._upsert(conn, pages_table, page_rows, ["page_id"], keep_known=True)
            self._write_weeks(conn, {(w.page_id, w.week): _row(w, source, now) for w in weeks})
        summary.pages = len({w.page_id for w in weeks})
        summary.rows = len(weeks)
        summary.weeks = sorted({w.week for w in weeks})
        summary.regions = sorted({w.region for w in weeks})
        summary.seconds = round(time.perf_counter() - t0, 3)
        return summary

    @staticmethod
    def _upsert(conn: Any, table: Any, rows: list[dict[str, Any]], keys: list[str],
                replace: bool = True, keep_known: bool = False) -> None:
        """Insert the rows in one statement per batch; on a key conflict replace or keep.

        `keep_known`: a value the new row lacks (None or "") keeps the stored one (a page's
        metadata: an upload without its platform does not forget it).
        """
        if not rows:
            return
        dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
        stmt = dialect.insert(table)
        if replace:
            cols = [c.name for c in table.columns if c.name not in keys]
            new = {c: stmt.excluded[c] for c in cols}
            if keep_known:
                new = {c: func.coalesce(func.nullif(v, ""), table.c[c]) if c != "updated_at"
                       else v for c, v in new.items()}
            stmt = stmt.on_conflict_do_update(index_elements=keys, set_=new)
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=keys)
        conn.execute(stmt, rows)

    def _write_weeks(self, conn: Any, new: dict[tuple[str, str], dict[str, Any]]) -> None:
        """Upsert the page-weeks with their places among every page on record that week.

        Places are computed before writing, over the new rows and the stored rows of the same
        region-weeks, so a whole region's week is one bulk upsert; only stored rows of other
        pages whose place moved (a region uploaded in parts) are updated one by one.
        """
        t = page_weeks.c
        touched = sorted({(row["region"], row["week"]) for row in new.values()})
        stored = {(r.page_id, r.week): r for r in conn.execute(
            select(t.page_id, t.week, t.region, t.page_type, t.overall, t.rank_region,
                   t.region_of, t.rank_type, t.type_of)
            .where(tuple_(t.region, t.week).in_(touched))).all()}
        real = {k: row for k, row in new.items() if row["posts"]}
        # A silent week never replaces one on record (that upload may have lacked the page).
        silent = {k: row for k, row in new.items() if not row["posts"] and k not in stored}
        others = {k: r for k, r in stored.items() if k not in real and k not in silent}
        places = ranks([*((k, row["region"], row["week"], row["page_type"], row["overall"])
                          for k, row in (real | silent).items()),
                        *((k, r.region, r.week, r.page_type, r.overall)
                          for k, r in others.items())])
        for k, row in (real | silent).items():
            p = places[k]
            row.update(rank_region=p["region"], region_of=p["region_of"], rank_type=p["type"],
                       type_of=p["type_of"])
        self._upsert(conn, page_weeks, list(real.values()), ["page_id", "week"])
        self._upsert(conn, page_weeks, list(silent.values()), ["page_id", "week"],
                     replace=False)
        moved = [{"k_page": k[0], "k_week": k[1], **{f"v_{n}": v for n, v in places[k].items()}}
                 for k, r in others.items()
                 if (r.rank_region, r.region_of, r.rank_type, r.type_of)
                 != tuple(places[k].values())]
        if moved:
            conn.execute(
                update(page_weeks)
                .where(and_(t.page_id == bindparam("k_page"), t.week == bindparam("k_week")))
                .values(rank_region=bindparam("v_region"), region_of=bindparam("v_region_of"),
                        rank_type=bindparam("v_type"), type_of=bindparam("v_type_of")),
                moved)

    # ---- reading ----

    def page_history(self, page_id: str) -> dict[str, Any] | None:
        """Return {"page": {...}, "weeks": [WEEK, ...]} oldest first; None for an unknown page."""
        engine = self._ready()
        with engine.connect() as conn:
            page = conn.execute(select(pages_table).where(pages_table.c.page_id == page_id)).first()
            if page is None:
                return None
            found = conn.execute(select(page_weeks).where(page_weeks.c.page_id == page_id)
                                 .order_by(page_weeks.c.week)).all()
        return {"page": _page(page), "weeks": [week_dict(r) for r in found]}

    def pages_history(self, page_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """Return each known page's weeks, oldest first (one query; unknown pages left out)."""
        if not page_ids:
            return {}
        engine = self._ready()
        out: dict[str, list[dict[str, Any]]] = {}
        with engine.connect() as conn:
            for i in range(0, len(page_ids), 5000):  # keeps the IN list under driver limits
                part = list(dict.fromkeys(str(p) for p in page_ids[i:i + 5000]))
                found = conn.execute(select(page_weeks)
                                     .where(page_weeks.c.page_id.in_(part))
                                     .order_by(page_weeks.c.page_id, page_weeks.c.week)).all()
                for r in found:
                    out.setdefault(r.page_id, []).append(week_dict(r))
        return out

    def region_history(self, region: str, top: int = IMPROVED_TOP) -> dict[str, Any] | None:
        """Return a region's weeks (means over its pages) and the pages that moved most.

        `improved`/`fell`: pages whose overall changed most between their previous week on
        record and the region's latest week. None when the region has no weeks on record.
        """
        engine = self._ready()
        t = page_weeks.c
        with engine.connect() as conn:
            found = conn.execute(select(page_weeks).where(t.region == region)
                                 .order_by(t.week, t.page_id)).all()
            if not found:
                return None
            ids = sorted({r.page_id for r in found})
            info = {r.page_id: _page(r) for r in conn.execute(
                select(pages_table).where(or_(*(pages_table.c.page_id.in_(ids[i:i + 5000])
                                          for i in range(0, len(ids), 5000))))).all()}
        by_week: dict[str, list[Any]] = {}
        by_page: dict[str, list[Any]] = {}
        for r in found:
            by_week.setdefault(r.week, []).append(r)
            by_page.setdefault(r.page_id, []).append(r)
        weeks = [_region_week(wk, rs) for wk, rs in by_week.items()]
        latest = max(by_week)
        moves = []
        for pid, rs in by_page.items():
            scored = [r for r in rs if r.overall is not None]
            if len(scored) < 2 or scored[-1].week != latest:
                continue
            a, b = scored[-2], scored[-1]
            moves.append({"page": info.get(pid) or {"id": pid}, "from": a.overall,
                          "to": b.overall, "delta": round(b.overall - a.overall, 1),
                          "from_week": a.week, "to_week": b.week})
        improved = sorted((m for m in moves if m["delta"] > 0), key=lambda m: -m["delta"])
        fell = sorted((m for m in moves if m["delta"] < 0), key=lambda m: m["delta"])
        return {"region": region, "weeks": weeks, "improved": improved[:top],
                "fell": fell[:top]}

    def close(self) -> None:
        """Close the database connections."""
        self.engine.dispose()


def _row(w: PageWeek, source: str, now: datetime) -> dict[str, Any]:
    """Return a page-week as a table row."""
    return {"page_id": w.page_id, "week": w.week, "week_start": w.week_start,
            "region": w.region, "page_type": w.page_type, "posts": w.posts,
            "posts_with_text": w.posts_with_text, "blocked": w.blocked, **w.scores,
            "problems": w.problems, "regularity": w.regularity, "meets_norm": w.meets_norm,
            "norm_per_week": w.norm_per_week, "rank_region": None, "region_of": None,
            "rank_type": None, "type_of": None, "source": source[:200], "recorded_at": now}


def _page(r: Any) -> dict[str, Any]:
    """Return a page row as the API shows it."""
    return {"id": r.page_id, "name": r.name or r.page_id, "type": r.type,
            "category": r.category, "region": r.region or None,
            "municipality": r.municipality, "platform": r.platform}


def week_dict(r: Any) -> dict[str, Any]:
    """Return a page-week row as WEEK (service.history's public shape)."""
    return {
        "week": r.week, "start": r.week_start.isoformat(), "posts": r.posts,
        "posts_with_text": r.posts_with_text, "blocked": r.blocked,
        "scores": {a: getattr(r, a) for a in AXES},
        "problems": dict(r.problems or {}), "regularity": r.regularity,
        "meets_norm": r.meets_norm, "norm_per_week": r.norm_per_week,
        "rank": {"region": r.rank_region, "region_of": r.region_of, "type": r.rank_type,
                 "type_of": r.type_of},
        "source": r.source, "recorded_at": _iso(r.recorded_at),
    }


def _iso(t: datetime | None) -> str | None:
    if t is None:
        return None
    return (t if t.tzinfo else t.replace(tzinfo=UTC)).isoformat()


def _mean(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return round(sum(vals) / len(vals), 1) if vals else None


def _region_week(wk: str, rs: list[Any]) -> dict[str, Any]:
    """Return a region's week: its pages, posts and the mean of each axis over its pages."""
    return {"week": wk, "start": rs[0].week_start.isoformat(),
            "pages": sum(1 for r in rs if r.posts), "pages_on_record": len(rs),
            "posts": sum(r.posts for r in rs), "blocked": sum(r.blocked for r in rs),
            "pages_meeting_norm": sum(1 for r in rs if r.meets_norm),
            "scores": {a: _mean([getattr(r, a) for r in rs if r.posts_with_text]) for a in AXES}}
