"""The read model: per course, student and cell state, and per student notebook totals, kept on
write.

Computed here from the stored executions and cell starts, so existing data shows at once.

Revision ID: 0005_read_model
Revises: 0004_courses
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from progress_tracker.store.state.rebuild_0005 import rebuild

revision = "0005_read_model"
down_revision = "0004_courses"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Timestamp = sa.DateTime(timezone=True)


def _key(name: str, table: str) -> sa.Column:
    return sa.Column(name, BigId, sa.ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False)


def _course() -> sa.Column:
    return sa.Column(
        "course_id",
        sa.String(64),
        sa.ForeignKey("courses.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "cell_states",
        _key("notebook_id", "notebooks"),
        _course(),
        _key("student_id", "students"),
        _key("cell_pk", "cells"),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("last_at", Timestamp),
        sa.Column("last_exec", sa.BigInteger),
        sa.Column("last_failed", sa.Boolean),
        sa.Column("last_count", sa.Integer),
        sa.Column("last_index", sa.Integer),
        sa.Column("last_type", sa.String(32)),
        sa.Column("error_at", Timestamp),
        sa.Column("error_exec", sa.BigInteger),
        sa.Column("error_message", sa.Text),
        sa.Column("started_at", Timestamp),
        sa.PrimaryKeyConstraint(
            "notebook_id", "course_id", "student_id", "cell_pk", name="pk_cell_states"
        ),
    )
    op.create_table(
        "notebook_students",
        _key("notebook_id", "notebooks"),
        _course(),
        _key("student_id", "students"),
        sa.Column("executions", BigId, nullable=False),
        sa.Column("last_received_at", Timestamp),
        sa.PrimaryKeyConstraint(
            "notebook_id", "course_id", "student_id", name="pk_notebook_students"
        ),
    )
    op.create_index("ix_notebook_students_received", "notebook_students", ["last_received_at"])
    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_notebook_students_received", table_name="notebook_students")
    op.drop_table("notebook_students")
    op.drop_table("cell_states")
