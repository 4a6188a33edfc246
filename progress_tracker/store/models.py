"""The relational model: courses and their members, students, notebooks (and assignments),
cells, cell executions and notebook events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# BIGINT keys on PostgreSQL; SQLite only auto-increments an INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")
Timestamp = DateTime(timezone=True)


class Base(DeclarativeBase):
    """Declarative base with the naming convention Alembic needs for portable constraints."""


class Student(Base):
    """A user who sent events, named by their authenticated Jupyter/JupyterHub user name."""

    __tablename__ = "students"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(String(256), unique=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp)


IMPLICIT_COURSE_ID = "default"


class Course(Base):
    """A course: created when it is first named (by an event's attribution or a publication)."""

    __tablename__ = "courses"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(Timestamp)


class CourseMember(Base):
    """A user's role (and section) in a course, as of the last event attributed there."""

    __tablename__ = "course_members"
    course_id: Mapped[str] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    student_id: Mapped[int] = mapped_column(
        ForeignKey("students.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16))
    section: Mapped[str | None] = mapped_column(String(64))


class Notebook(Base):
    """An exercise: an unpublished notebook named by its path, or a published assignment.

    Unpublished notebooks have `assignment_id` "" and their path (the path "" holds the events
    that name no notebook). An assignment has its id, course, title and version, and the path
    "": every student's copy, wherever it is and whatever it is called, is this one row.
    """

    __tablename__ = "notebooks"
    __table_args__ = (
        UniqueConstraint("assignment_id", "path", name="uq_notebooks_assignment_path"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    path: Mapped[str] = mapped_column(String(1024))
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    assignment_id: Mapped[str] = mapped_column(String(128), default="", server_default="")
    course_id: Mapped[str | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    title: Mapped[str | None] = mapped_column(String(256))
    version: Mapped[int | None] = mapped_column(Integer)
    published_path: Mapped[str | None] = mapped_column(String(1024))
    published_at: Mapped[datetime | None] = mapped_column(Timestamp)


class Cell(Base):
    """A cell of a notebook, named by its nbformat cell id ("" for executions naming none).

    `cell_index` and `cell_type` are as first reported; the dashboard orders cells by what the
    class reports (each execution keeps its student's own index and type). In an assignment,
    the cells the instructor published are `published` (with their `position`, `label`,
    `source` and nbgrader `grade_id`); cells a student added are not (own cells, never
    columns); a published cell dropped by a re-publication keeps its label, unpublished.
    """

    __tablename__ = "cells"
    __table_args__ = (UniqueConstraint("notebook_id", "cell_id", name="uq_cells_notebook_cell"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    notebook_id: Mapped[int] = mapped_column(ForeignKey("notebooks.id", ondelete="CASCADE"))
    cell_id: Mapped[str] = mapped_column(String(128))
    cell_index: Mapped[int | None] = mapped_column(Integer)
    cell_type: Mapped[str | None] = mapped_column(String(32))
    published: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    position: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(String(256))
    source: Mapped[str | None] = mapped_column(Text)
    grade_id: Mapped[str | None] = mapped_column(String(128))


class CellExecution(Base):
    """One run of a cell by a student; (student, `event_id`) makes redelivery idempotent."""

    __tablename__ = "cell_executions"
    __table_args__ = (
        Index("ix_cell_executions_notebook_time", "notebook_id", "event_time"),
        Index("ix_cell_executions_notebook_student", "notebook_id", "student_id", "cell_pk"),
        Index("ix_cell_executions_received", "received_at"),
        UniqueConstraint("student_id", "event_id", name="uq_cell_executions_student_event"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(128))
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"))
    notebook_id: Mapped[int] = mapped_column(ForeignKey("notebooks.id", ondelete="CASCADE"))
    cell_pk: Mapped[int] = mapped_column(ForeignKey("cells.id", ondelete="CASCADE"))
    cell_index: Mapped[int | None] = mapped_column(Integer)
    cell_type: Mapped[str | None] = mapped_column(String(32))
    code: Mapped[str | None] = mapped_column(Text)
    execution_count: Mapped[int | None] = mapped_column(Integer)
    has_error: Mapped[bool] = mapped_column(Boolean, default=False)
    # The student stopped the run (KeyboardInterrupt): no error, and `has_error` is false.
    interrupted: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    error_message: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[float | None] = mapped_column(Float)
    event_time: Mapped[datetime] = mapped_column(Timestamp)
    received_at: Mapped[datetime] = mapped_column(Timestamp)
    event_metadata: Mapped[dict[str, Any] | None] = mapped_column("metadata", JSON)
    course_id: Mapped[str] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), default=IMPLICIT_COURSE_ID
    )


class NotebookEvent(Base):
    """A notebook opened, saved, closed or still open (heartbeat), a hand raised or lowered
    (help, help_stop, with its message), a cell started, or the notebook's kernel changing status
    (kernel_status, with its `kernel_status`), by a student."""

    __tablename__ = "notebook_events"
    __table_args__ = (
        Index("ix_notebook_events_notebook_time", "notebook_id", "event_time"),
        Index("ix_notebook_events_notebook_type_time", "notebook_id", "event_type", "event_time"),
        Index("ix_notebook_events_received", "received_at"),
        UniqueConstraint("student_id", "event_id", name="uq_notebook_events_student_event"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(128))
    event_type: Mapped[str] = mapped_column(String(32))
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"))
    notebook_id: Mapped[int] = mapped_column(ForeignKey("notebooks.id", ondelete="CASCADE"))
    cell_id: Mapped[str | None] = mapped_column(String(128))
    event_time: Mapped[datetime] = mapped_column(Timestamp)
    received_at: Mapped[datetime] = mapped_column(Timestamp)
    event_metadata: Mapped[dict[str, Any] | None] = mapped_column("metadata", JSON)
    course_id: Mapped[str] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), default=IMPLICIT_COURSE_ID
    )
    message: Mapped[str | None] = mapped_column(Text)
    kernel_status: Mapped[str | None] = mapped_column(String(32))
