"""First workspace schema: annotations and their history.

Notes kept their format inside the body (``{"text": ..., "markdown": bool}``).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "annotation",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("target_type", sa.String(), nullable=False),
        sa.Column("target_id", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("selector", sa.JSON(), nullable=True),
        sa.Column("anchor", sa.String(), nullable=False),
        sa.Column("reviewer", sa.String(), nullable=False),
        sa.Column("created", sa.String(), nullable=False),
        sa.Column("modified", sa.String(), nullable=False),
        sa.UniqueConstraint("kind", "target_type", "target_id", "key", name="uq_annotation_slot"),
    )
    op.create_index("ix_annotation_target", "annotation", ["target_type", "target_id"])
    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("target_type", sa.String(), nullable=False),
        sa.Column("target_id", sa.String(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("reviewer", sa.String(), nullable=False),
        sa.Column("at", sa.String(), nullable=False),
    )
    op.create_index("ix_history_target", "history", ["target_type", "target_id"])


def downgrade() -> None:
    op.drop_index("ix_history_target", table_name="history")
    op.drop_table("history")
    op.drop_index("ix_annotation_target", table_name="annotation")
    op.drop_table("annotation")
