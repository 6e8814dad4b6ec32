"""Schema versions of the history store, oldest first (alembic skips this file)."""
