"""Alembic migrations of the history store, applied by `service.history.db.migrate`."""
