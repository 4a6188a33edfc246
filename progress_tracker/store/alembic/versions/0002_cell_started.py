"""The cell a notebook event is about (cell_started events say which cell is running).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notebook_events") as batch:
        batch.add_column(sa.Column("cell_id", sa.String(128), nullable=True))
    op.create_index(
        "ix_notebook_events_notebook_type_time",
        "notebook_events",
        ["notebook_id", "event_type", "event_time"],
    )


def downgrade() -> None:
    op.drop_index("ix_notebook_events_notebook_type_time", "notebook_events")
    with op.batch_alter_table("notebook_events") as batch:
        batch.drop_column("cell_id")
