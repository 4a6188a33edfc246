"""The read model's tables, keyed by (notebook, course, student, cell) so that a read filters by
the caller's scope as it filters executions: by their attributed course and their student."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..models import Base, BigId, Timestamp


class CellState(Base):
    """One student's state on one cell: counts, the latest run, the latest failure, the latest start.

    Per course the runs are attributed to (a student's runs of one notebook are, nearly always,
    of one course): a read of several courses merges them (`read/states.py`).

    "Latest" is by (event time, execution row id), as the snapshot has always ordered runs: of two
    runs at the same time, the one stored last decides. A row with `last_at` NULL only says the
    student started the cell (no result yet).
    """

    __tablename__ = "cell_states"
    notebook_id: Mapped[int] = mapped_column(
        ForeignKey("notebooks.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[str] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    student_id: Mapped[int] = mapped_column(
        ForeignKey("students.id", ondelete="CASCADE"), primary_key=True
    )
    cell_pk: Mapped[int] = mapped_column(
        ForeignKey("cells.id", ondelete="CASCADE"), primary_key=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[datetime | None] = mapped_column(Timestamp)
    last_exec: Mapped[int | None] = mapped_column(BigInteger)
    last_failed: Mapped[bool | None] = mapped_column(Boolean)
    last_interrupted: Mapped[bool | None] = mapped_column(Boolean)
    last_count: Mapped[int | None] = mapped_column(Integer)
    last_index: Mapped[int | None] = mapped_column(Integer)
    last_type: Mapped[str | None] = mapped_column(String(32))
    error_at: Mapped[datetime | None] = mapped_column(Timestamp)
    error_exec: Mapped[int | None] = mapped_column(BigInteger)
    error_message: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(Timestamp)


class NotebookStudent(Base):
    """A student's executions in a notebook (per course) and when the server last received one."""

    __tablename__ = "notebook_students"
    __table_args__ = (
        Index("ix_notebook_students_received", "last_received_at"),
        # A TA's list counts the students of their sections: by course and student.
        Index("ix_notebook_students_course_student", "course_id", "student_id"),
    )
    notebook_id: Mapped[int] = mapped_column(
        ForeignKey("notebooks.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[str] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    student_id: Mapped[int] = mapped_column(
        ForeignKey("students.id", ondelete="CASCADE"), primary_key=True
    )
    executions: Mapped[int] = mapped_column(BigId, default=0)
    last_received_at: Mapped[datetime | None] = mapped_column(Timestamp)


class NotebookSummary(Base):
    """A notebook's students, executions and latest receive time, per course (what the list of
    exercises shows): one row per notebook and course, so the list never counts students."""

    __tablename__ = "notebook_summaries"
    notebook_id: Mapped[int] = mapped_column(
        ForeignKey("notebooks.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[str] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    students: Mapped[int] = mapped_column(Integer, default=0)
    executions: Mapped[int] = mapped_column(BigId, default=0)
    last_received_at: Mapped[datetime | None] = mapped_column(Timestamp)


class PresenceState(Base):
    """A student's notebook lifecycle events of one kind (opened, heartbeat, saved, closed) in a
    notebook, per course: the first and latest event time and the latest receive time.

    What the snapshot's presence shows, without reading every heartbeat of the semester.
    """

    __tablename__ = "presence_states"
    notebook_id: Mapped[int] = mapped_column(
        ForeignKey("notebooks.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[str] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    student_id: Mapped[int] = mapped_column(
        ForeignKey("students.id", ondelete="CASCADE"), primary_key=True
    )
    event_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    first_at: Mapped[datetime] = mapped_column(Timestamp)
    last_at: Mapped[datetime] = mapped_column(Timestamp)
    last_received_at: Mapped[datetime] = mapped_column(Timestamp)


class KernelState(Base):
    """When a student's kernel of a notebook last changed status (restart, shutdown, reload...).

    A cell started before it is no longer running, whatever its start says (`read/states.py`).
    """

    __tablename__ = "kernel_states"
    notebook_id: Mapped[int] = mapped_column(
        ForeignKey("notebooks.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[str] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    student_id: Mapped[int] = mapped_column(
        ForeignKey("students.id", ondelete="CASCADE"), primary_key=True
    )
    status_at: Mapped[datetime] = mapped_column(Timestamp)
