"""Notes get a real format column (plain | markdown) instead of a flag in the body.

Existing notes keep their text; ``{"markdown": true}`` becomes ``format = 'markdown'``.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("annotation") as batch:
        batch.add_column(sa.Column("format", sa.String(), nullable=False, server_default="plain"))
    op.execute(
        "UPDATE annotation SET "
        "format = CASE WHEN json_extract(body, '$.markdown') THEN 'markdown' ELSE 'plain' END, "
        "body = json_remove(body, '$.markdown') "
        "WHERE kind = 'note'"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE annotation SET body = json_set(body, '$.markdown', "
        "json(CASE WHEN format = 'markdown' THEN 'true' ELSE 'false' END)) "
        "WHERE kind = 'note'"
    )
    with op.batch_alter_table("annotation") as batch:
        batch.drop_column("format")
