"""The help queue: raised hands, claimed and resolved by the course's staff.

Revision ID: 0008_help_queue
Revises: 0006_privacy
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_help_queue"
down_revision = "0006_privacy"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "help_entries",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column(
            "student_id",
            BigId,
            sa.ForeignKey("students.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "notebook_id",
            BigId,
            sa.ForeignKey("notebooks.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "course_id",
            sa.String(64),
            sa.ForeignKey("courses.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("cell_id", sa.String(128), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("raised_at", Timestamp, nullable=False),
        sa.Column("last_event_id", sa.String(128), nullable=False),
        sa.Column("claimed_by", sa.String(256), nullable=True),
        sa.Column("claimed_at", Timestamp, nullable=True),
        sa.Column("resolved_by", sa.String(256), nullable=True),
        sa.Column("resolved_at", Timestamp, nullable=True),
    )
    op.create_index(
        "ix_help_entries_course_state", "help_entries", ["course_id", "state", "raised_at"]
    )
    op.create_index(
        "ix_help_entries_student_notebook",
        "help_entries",
        ["student_id", "notebook_id", "state"],
    )


def downgrade() -> None:
    op.drop_index("ix_help_entries_student_notebook", table_name="help_entries")
    op.drop_index("ix_help_entries_course_state", table_name="help_entries")
    op.drop_table("help_entries")
