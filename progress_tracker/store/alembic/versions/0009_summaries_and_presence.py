"""Two more read-model tables, kept on write: one summary row per notebook and course (the list
of exercises), and per student the first and latest of each notebook lifecycle event (presence,
instead of every heartbeat of the semester).

Revision ID: 0009_summaries_and_presence
Revises: 0008_help_queue
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_summaries_and_presence"
down_revision = "0008_help_queue"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Timestamp = sa.DateTime(timezone=True)

# Frozen here (a later change of the read model must not change what this migration does).
FILL = (
    """INSERT INTO notebook_summaries (notebook_id, course_id, students, executions,
        last_received_at)
    SELECT notebook_id, course_id, count(*), sum(executions), max(last_received_at)
    FROM notebook_students GROUP BY notebook_id, course_id""",
    """INSERT INTO presence_states (notebook_id, course_id, student_id, event_type, first_at,
        last_at, last_received_at)
    SELECT notebook_id, course_id, student_id, event_type, min(event_time), max(event_time),
        max(received_at)
    FROM notebook_events
    WHERE event_type IN ('notebook_opened', 'notebook_heartbeat', 'notebook_saved',
        'notebook_closed')
    GROUP BY notebook_id, course_id, student_id, event_type""",
)


def _key(name: str, table: str) -> sa.Column:
    return sa.Column(name, BigId, sa.ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False)


def _course() -> sa.Column:
    return sa.Column(
        "course_id", sa.String(64), sa.ForeignKey("courses.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "notebook_summaries",
        _key("notebook_id", "notebooks"),
        _course(),
        sa.Column("students", sa.Integer, nullable=False),
        sa.Column("executions", BigId, nullable=False),
        sa.Column("last_received_at", Timestamp),
        sa.PrimaryKeyConstraint("notebook_id", "course_id", name="pk_notebook_summaries"),
    )
    op.create_table(
        "presence_states",
        _key("notebook_id", "notebooks"),
        _course(),
        _key("student_id", "students"),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column("first_at", Timestamp, nullable=False),
        sa.Column("last_at", Timestamp, nullable=False),
        sa.Column("last_received_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint(
            "notebook_id", "course_id", "student_id", "event_type", name="pk_presence_states"
        ),
    )
    op.create_index(
        "ix_notebook_students_course_student", "notebook_students", ["course_id", "student_id"]
    )
    for statement in FILL:
        op.execute(statement)


def downgrade() -> None:
    op.drop_index("ix_notebook_students_course_student", table_name="notebook_students")
    op.drop_table("presence_states")
    op.drop_table("notebook_summaries")
