"""Students, notebooks, cells, cell executions and notebook events.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "students",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.String(256), nullable=False, unique=True),
        sa.Column("created_at", Timestamp, nullable=False),
    )
    op.create_table(
        "notebooks",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("path", sa.String(1024), nullable=False, unique=True),
        sa.Column("created_at", Timestamp, nullable=False),
    )
    op.create_table(
        "cells",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column(
            "notebook_id",
            BigId,
            sa.ForeignKey("notebooks.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("cell_id", sa.String(128), nullable=False),
        sa.Column("cell_index", sa.Integer),
        sa.Column("cell_type", sa.String(32)),
        sa.UniqueConstraint("notebook_id", "cell_id", name="uq_cells_notebook_cell"),
    )
    op.create_table(
        "cell_executions",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(128), nullable=False, unique=True),
        sa.Column(
            "student_id", BigId, sa.ForeignKey("students.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "notebook_id", BigId, sa.ForeignKey("notebooks.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("cell_pk", BigId, sa.ForeignKey("cells.id", ondelete="CASCADE"), nullable=False),
        sa.Column("cell_index", sa.Integer),
        sa.Column("cell_type", sa.String(32)),
        sa.Column("code", sa.Text),
        sa.Column("execution_count", sa.Integer),
        sa.Column("has_error", sa.Boolean, nullable=False),
        sa.Column("error_message", sa.Text),
        sa.Column("result", sa.Text),
        sa.Column("duration_ms", sa.Float),
        sa.Column("event_time", Timestamp, nullable=False),
        sa.Column("received_at", Timestamp, nullable=False),
        sa.Column("metadata", sa.JSON),
    )
    op.create_index(
        "ix_cell_executions_notebook_time", "cell_executions", ["notebook_id", "event_time"]
    )
    op.create_index(
        "ix_cell_executions_notebook_student",
        "cell_executions",
        ["notebook_id", "student_id", "cell_pk"],
    )
    op.create_index("ix_cell_executions_received", "cell_executions", ["received_at"])
    op.create_table(
        "notebook_events",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(128), nullable=False, unique=True),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column(
            "student_id", BigId, sa.ForeignKey("students.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "notebook_id", BigId, sa.ForeignKey("notebooks.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("event_time", Timestamp, nullable=False),
        sa.Column("received_at", Timestamp, nullable=False),
        sa.Column("metadata", sa.JSON),
    )
    op.create_index(
        "ix_notebook_events_notebook_time", "notebook_events", ["notebook_id", "event_time"]
    )
    op.create_index("ix_notebook_events_received", "notebook_events", ["received_at"])


def downgrade() -> None:
    op.drop_table("notebook_events")
    op.drop_table("cell_executions")
    op.drop_table("cells")
    op.drop_table("notebooks")
    op.drop_table("students")
