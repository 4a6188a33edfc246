"""Privacy: students' consent choices per course, and the audit log of who read what.

Revision ID: 0006_privacy
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_privacy"
down_revision = "0005_read_model"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("course_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(256), nullable=False),
        sa.Column("choice", sa.Boolean(), nullable=True),
        sa.Column("chosen_at", Timestamp, nullable=True),
        sa.Column("seen_at", Timestamp, nullable=True),
        sa.Column("seen_capturing", sa.Boolean(), nullable=True),
        sa.UniqueConstraint("course_id", "user_id", name="uq_consents_course_user"),
    )
    op.create_index("ix_consents_user_id", "consents", ["user_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("at", Timestamp, nullable=False),
        sa.Column("actor", sa.String(256), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("course_id", sa.String(64), nullable=True),
        sa.Column("target", sa.String(1024), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_course_at", "audit_log", ["course_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_course_at", table_name="audit_log")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_consents_user_id", table_name="consents")
    op.drop_table("consents")
