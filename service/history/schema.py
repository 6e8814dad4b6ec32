"""The tables of the history store (SQLAlchemy Core); migrations/ creates and changes them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)

metadata = MetaData()

# One row per page: its latest metadata (name, type, region …), whatever upload brought it.
pages = Table(
    "history_pages", metadata,
    Column("page_id", String(200), primary_key=True),
    Column("name", String(500)),
    Column("type", String(100)),
    Column("category", String(100)),
    Column("region", String(200), nullable=False, server_default=""),
    Column("municipality", String(300)),
    Column("platform", String(20)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# One row per page and ISO week of publication: figures only, never post texts.
page_weeks = Table(
    "history_page_weeks", metadata,
    Column("page_id", String(200), primary_key=True),
    Column("week", String(8), primary_key=True),  # 2025-W46
    Column("week_start", Date, nullable=False),  # its Monday
    Column("region", String(200), nullable=False, server_default=""),
    Column("page_type", String(100)),
    Column("posts", Integer, nullable=False),  # published posts with a date (with text or not)
    Column("posts_with_text", Integer, nullable=False),  # of them, scored
    Column("blocked", Integer, nullable=False),
    Column("readability", Float),
    Column("usefulness", Float),
    Column("engagement", Float),
    Column("activity", Float),
    Column("overall", Float),
    Column("problems", JSON, nullable=False),  # {code: posts with it}
    Column("regularity", Float),
    Column("meets_norm", Boolean),
    Column("norm_per_week", Float),
    Column("rank_region", Integer),
    Column("region_of", Integer),
    Column("rank_type", Integer),
    Column("type_of", Integer),
    Column("source", String(200)),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("ix_history_page_weeks_region_week", "region", "week"),
)

AXES = ("readability", "usefulness", "engagement", "activity", "overall")
