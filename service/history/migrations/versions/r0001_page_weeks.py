"""Pages and their figures per ISO week.

Revision ID: 0001
Revises:
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "history_pages",
        sa.Column("page_id", sa.String(200), primary_key=True),
        sa.Column("name", sa.String(500)),
        sa.Column("type", sa.String(100)),
        sa.Column("category", sa.String(100)),
        sa.Column("region", sa.String(200), nullable=False, server_default=""),
        sa.Column("municipality", sa.String(300)),
        sa.Column("platform", sa.String(20)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "history_page_weeks",
        sa.Column("page_id", sa.String(200), primary_key=True),
        sa.Column("week", sa.String(8), primary_key=True),
        sa.Column("week_start", sa.Date, nullable=False),
        sa.Column("region", sa.String(200), nullable=False, server_default=""),
        sa.Column("page_type", sa.String(100)),
        sa.Column("posts", sa.Integer, nullable=False),
        sa.Column("posts_with_text", sa.Integer, nullable=False),
        sa.Column("blocked", sa.Integer, nullable=False),
        sa.Column("readability", sa.Float),
        sa.Column("usefulness", sa.Float),
        sa.Column("engagement", sa.Float),
        sa.Column("activity", sa.Float),
        sa.Column("overall", sa.Float),
        sa.Column("problems", sa.JSON, nullable=False),
        sa.Column("regularity", sa.Float),
        sa.Column("meets_norm", sa.Boolean),
        sa.Column("norm_per_week", sa.Float),
        sa.Column("rank_region", sa.Integer),
        sa.Column("region_of", sa.Integer),
        sa.Column("rank_type", sa.Integer),
        sa.Column("type_of", sa.Integer),
        sa.Column("source", sa.String(200)),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_history_page_weeks_region_week", "history_page_weeks",
                    ["region", "week"])


def downgrade() -> None:
    op.drop_index("ix_history_page_weeks_region_week", table_name="history_page_weeks")
    op.drop_table("history_page_weeks")
    op.drop_table("history_pages")
