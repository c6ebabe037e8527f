"""Alembic environment: always run programmatically with a live connection (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from db.workspace.models import WorkspaceBase

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=WorkspaceBase.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things in place
)
with context.begin_transaction():
    context.run_migrations()
