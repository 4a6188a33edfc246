"""Truthful states: interrupted runs, and kernel status changes that end running cells.

An execution is `interrupted` when the student stopped the kernel (KeyboardInterrupt): it is
stored as no error. The read model keeps whether each latest run was interrupted, and per
notebook, course and student the latest kernel status change (a restart, shutdown or reload
ends the cells shown running). Existing KeyboardInterrupt failures become interrupted runs and
the read model is recounted.

Revision ID: 0007_interrupted
Revises: 0006_privacy
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from progress_tracker.store.state import rebuild_0005
from progress_tracker.store.state.rebuild import rebuild

revision = "0007_interrupted"
down_revision = "0006_privacy"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Timestamp = sa.DateTime(timezone=True)


def _key(name: str, table: str) -> sa.Column:
    return sa.Column(name, BigId, sa.ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("cell_executions") as batch:
        batch.add_column(
            sa.Column("interrupted", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("notebook_events") as batch:
        batch.add_column(sa.Column("kernel_status", sa.String(32), nullable=True))
    with op.batch_alter_table("cell_states") as batch:
        batch.add_column(sa.Column("last_interrupted", sa.Boolean(), nullable=True))
    op.create_table(
        "kernel_states",
        _key("notebook_id", "notebooks"),
        sa.Column(
            "course_id",
            sa.String(64),
            sa.ForeignKey("courses.id", ondelete="CASCADE"),
            nullable=False,
        ),
        _key("student_id", "students"),
        sa.Column("status_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("notebook_id", "course_id", "student_id", name="pk_kernel_states"),
    )
    op.execute(
        "UPDATE cell_executions SET interrupted = true, has_error = false "
        "WHERE has_error AND error_message LIKE 'KeyboardInterrupt%'"
    )
    rebuild(op.get_bind(), tables_of_0009=False)


def downgrade() -> None:
    op.execute("UPDATE cell_executions SET has_error = true WHERE interrupted")
    op.drop_table("kernel_states")
    with op.batch_alter_table("cell_states") as batch:
        batch.drop_column("last_interrupted")
    with op.batch_alter_table("notebook_events") as batch:
        batch.drop_column("kernel_status")
    with op.batch_alter_table("cell_executions") as batch:
        batch.drop_column("interrupted")
    rebuild_0005.rebuild(op.get_bind())
