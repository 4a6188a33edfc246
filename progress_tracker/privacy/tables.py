"""Where personal data lives in the relational store: the one list purge, export and erasure use.

A new table holding students' data (a read model, course memberships) is added here, and the
retention purge, the subject export and the erasure cover it.
"""

from __future__ import annotations

from sqlalchemy import Column, ColumnElement, Table, false, true

from ..help.models import HelpEntry
from ..store.models import CellExecution, CourseMember, NotebookEvent, Student
from ..store.state.tables import CellState, KernelState, NotebookStudent, PresenceState
from .attribution import DEFAULT_COURSE
from .models import AuditEntry, ConsentState


def purged_tables() -> list[tuple[Table, Column]]:
    """Tables the retention purge deletes from, each with the time its rows are judged by."""
    return [
        (CellExecution.__table__, CellExecution.__table__.c.event_time),
        (NotebookEvent.__table__, NotebookEvent.__table__.c.event_time),
        (HelpEntry.__table__, HelpEntry.__table__.c.raised_at),
    ]


def student_tables() -> list[Table]:
    """Tables whose rows belong to one student through a `student_id` column.

    The read model (derived from the executions) and course memberships included: an erased
    student leaves no row anywhere.
    """
    return [
        CellExecution.__table__,
        NotebookEvent.__table__,
        CellState.__table__,
        NotebookStudent.__table__,
        CourseMember.__table__,
        HelpEntry.__table__,
        KernelState.__table__,
        PresenceState.__table__,
    ]


def user_tables() -> list[tuple[Table, Column]]:
    """Tables keyed by user name rather than student id."""
    return [(ConsentState.__table__, ConsentState.__table__.c.user_id)]


STUDENTS = Student.__table__
AUDIT = AuditEntry.__table__


def in_course(table: Table, course: str | None, own_policies: set[str]) -> ColumnElement[bool]:
    """Rows of `table` in `course`, or (None) in every course without a policy of its own.

    A table without a `course_id` column holds the implicit course only.
    """
    column = table.c.get("course_id")
    if column is None:
        if course is None:
            return true() if DEFAULT_COURSE not in own_policies else false()
        return true() if course == DEFAULT_COURSE else false()
    if course is not None:
        return column == course
    if not own_policies:
        return true()
    return column.is_(None) | column.not_in(sorted(own_policies))
