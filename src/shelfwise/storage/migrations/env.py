"""Alembic environment: runs the linear history on the connection it is given."""

from __future__ import annotations

from alembic import context

from shelfwise.storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - always called through shelfwise.storage.migrate
    raise RuntimeError("run migrations through `shelfwise migrate`, which supplies the connection")

context.configure(
    connection=connection,
    target_metadata=metadata,
    # Batch mode rewrites tables on SQLite (which cannot ALTER much) and is a
    # no-op elsewhere, so one migration serves both engines.
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
