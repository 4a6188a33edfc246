"""Courses, their members, assignments and their published cells; the course of every event.

Existing data is kept: every notebook stays an unpublished notebook (keyed by its path), every
execution and notebook event belongs to the implicit course "default".

Revision ID: 0004_courses
Revises: 0003
Create Date: 2026-12-01
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004_courses"
down_revision = "0003"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Timestamp = sa.DateTime(timezone=True)
IMPLICIT_COURSE = "default"
# SQLite keeps 0001's unique constraint unnamed: this convention names it so it can be dropped.
NAMING = {"uq": "%(table_name)s_%(column_0_name)s_key"}


def upgrade() -> None:
    courses = op.create_table(
        "courses",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.String(256), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
    )
    op.bulk_insert(
        courses, [{"id": IMPLICIT_COURSE, "title": "Default", "created_at": datetime.now(UTC)}]
    )
    op.create_table(
        "course_members",
        sa.Column(
            "course_id",
            sa.String(64),
            sa.ForeignKey("courses.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "student_id",
            BigId,
            sa.ForeignKey("students.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("section", sa.String(64)),
    )
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite_notebooks()
    else:
        op.drop_constraint("notebooks_path_key", "notebooks", type_="unique")
        for column in _notebook_columns():
            op.add_column("notebooks", column)
        op.create_unique_constraint(
            "uq_notebooks_assignment_path", "notebooks", ["assignment_id", "path"]
        )
        op.create_foreign_key(
            "fk_notebooks_course", "notebooks", "courses", ["course_id"], ["id"], ondelete="CASCADE"
        )
    with op.batch_alter_table("cells") as batch:
        batch.add_column(
            sa.Column("published", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("position", sa.Integer))
        batch.add_column(sa.Column("label", sa.String(256)))
        batch.add_column(sa.Column("source", sa.Text))
        batch.add_column(sa.Column("grade_id", sa.String(128)))
    for table in ("cell_executions", "notebook_events"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column(
                    "course_id", sa.String(64), nullable=False, server_default=IMPLICIT_COURSE
                )
            )
            batch.create_foreign_key(
                f"fk_{table}_course", "courses", ["course_id"], ["id"], ondelete="CASCADE"
            )
            if table == "notebook_events":
                batch.add_column(sa.Column("message", sa.Text))
        op.create_index(f"ix_{table}_course_notebook", table, ["course_id", "notebook_id"])


def _notebook_columns() -> list[sa.Column]:
    return [
        sa.Column("assignment_id", sa.String(128), nullable=False, server_default=""),
        sa.Column("course_id", sa.String(64)),
        sa.Column("title", sa.String(256)),
        sa.Column("version", sa.Integer),
        sa.Column("published_path", sa.String(1024)),
        sa.Column("published_at", Timestamp),
    ]


def _rebuild_sqlite_notebooks() -> None:
    """SQLite drops a unique constraint only by rebuilding the table (with its foreign keys
    off, see `store.migrations`: dropping the old table would delete every cell and execution)."""
    with op.batch_alter_table("notebooks", naming_convention=NAMING) as batch:
        for column in _notebook_columns():
            batch.add_column(column)
        batch.drop_constraint("notebooks_path_key", type_="unique")
        batch.create_unique_constraint("uq_notebooks_assignment_path", ["assignment_id", "path"])
        batch.create_foreign_key(
            "fk_notebooks_course", "courses", ["course_id"], ["id"], ondelete="CASCADE"
        )


def downgrade() -> None:
    for table in ("cell_executions", "notebook_events"):
        op.drop_index(f"ix_{table}_course_notebook", table)
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"fk_{table}_course", type_="foreignkey")
            batch.drop_column("course_id")
            if table == "notebook_events":
                batch.drop_column("message")
    with op.batch_alter_table("cells") as batch:
        for column in ("published", "position", "label", "source", "grade_id"):
            batch.drop_column(column)
    op.execute("DELETE FROM notebooks WHERE assignment_id <> ''")
    with op.batch_alter_table("notebooks", naming_convention=NAMING) as batch:
        batch.drop_constraint("fk_notebooks_course", type_="foreignkey")
        batch.drop_constraint("uq_notebooks_assignment_path", type_="unique")
        batch.create_unique_constraint("notebooks_path_key", ["path"])
        for column in ("assignment_id", "course_id", "title", "version"):
            batch.drop_column(column)
        batch.drop_column("published_path")
        batch.drop_column("published_at")
    op.drop_table("course_members")
    op.drop_table("courses")
