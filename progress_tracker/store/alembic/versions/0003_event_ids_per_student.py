"""Event ids are unique per student, not across the class.

A student reusing another student's eventId must not make the other's event look like a retry
(and be dropped). Existing rows keep their ids: unique across everyone implies unique per student.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("cell_executions", "notebook_events")
# SQLite keeps the old constraints unnamed: this convention names them so that they can be dropped.
NAMING = {"uq": "%(table_name)s_%(column_0_name)s_key"}


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, naming_convention=NAMING) as batch:
            batch.drop_constraint(f"{table}_event_id_key", type_="unique")
            batch.create_unique_constraint(f"uq_{table}_student_event", ["student_id", "event_id"])


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, naming_convention=NAMING) as batch:
            batch.drop_constraint(f"uq_{table}_student_event", type_="unique")
            batch.create_unique_constraint(f"{table}_event_id_key", ["event_id"])
