"""The exercises a caller may open: assignments of their courses and unpublished notebooks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ...courses.scope import Scope
from ..models import Notebook
from ..state.tables import NotebookStudent, NotebookSummary
from .rows import iso
from .scoping import EVERYTHING, NotebookKey, in_scope

# Students who ran a cell of a notebook this recently are its active students.
ACTIVE_WINDOW = timedelta(hours=1)
ASSIGNMENT_KEY = "assignment:"


def key_text(key: NotebookKey) -> str:
    """How the API names an exercise: `assignment:<id>`, or the notebook's path."""
    return f"{ASSIGNMENT_KEY}{key[0]}" if key[0] else key[1]


async def notebook_list(engine: AsyncEngine, scope: Scope = EVERYTHING) -> list[dict[str, Any]]:
    """Every exercise in scope with its student counts, execution count and last activity.

    Most active first: by students active in the last hour, then by when the server last
    received one of its executions. Only the server's clock counts (a client's eventTime could
    say anything), and one student alone cannot outrank a class. Counts are of the students in
    scope; an assignment of the caller's courses is listed before anybody ran it. Read from the
    summaries kept on write (one row per notebook and course), never the history.
    """
    since = datetime.now(UTC) - ACTIVE_WINDOW
    async with engine.connect() as conn:
        counts = await _counts(conn, scope)
        active = await _active(conn, scope, since)
        stmt = select(
            Notebook.id,
            Notebook.path,
            Notebook.assignment_id,
            Notebook.course_id,
            Notebook.title,
            Notebook.published_path,
        )
        if not scope.everything:
            stmt = stmt.where(
                or_(
                    Notebook.id.in_(sorted(counts)),
                    and_(
                        Notebook.assignment_id != "", Notebook.course_id.in_(sorted(scope.courses))
                    ),
                )
            )
        notebooks = (await conn.execute(stmt)).all()
    rows = []
    for nb in notebooks:
        students, executions, last = counts.get(nb.id, (0, 0, None))
        rows.append((nb, students, active.get(nb.id, 0), executions, last))
    listed = [
        {
            "key": key_text((nb.assignment_id, nb.path)),
            "assignmentId": nb.assignment_id or None,
            "course": nb.course_id,
            "title": nb.title,
            "path": nb.published_path if nb.assignment_id else nb.path,
            "students": students,
            "activeStudents": active_students,
            "executions": int(executions or 0),
            "lastActivity": iso(last),
        }
        for nb, students, active_students, executions, last in rows
    ]
    listed.sort(
        key=lambda nb: (nb["activeStudents"], nb["lastActivity"] or "", nb["key"]), reverse=True
    )
    return listed


Counts = tuple[int, int, datetime | None]


async def _counts(conn: AsyncConnection, scope: Scope) -> dict[int, Counts]:
    """Per notebook in scope: (students, executions, latest receive time)."""
    per_course: dict[int, list[tuple[str, int, int, datetime | None]]] = {}
    summary = NotebookSummary
    whole = None if scope.everything else scope.whole_courses()
    if whole is None or whole:
        stmt = select(
            summary.notebook_id,
            summary.course_id,
            summary.students,
            summary.executions,
            summary.last_received_at,
        )
        if whole is not None:
            stmt = stmt.where(summary.course_id.in_(whole))
        for nb, course, students, executions, last in await conn.execute(stmt):
            per_course.setdefault(nb, []).append((course, students, executions, last))
    sectioned = scope.sectioned_courses()
    if sectioned:
        # A TA of some sections: their students' rows (by course and student, indexed).
        per = NotebookStudent
        sections = Scope(courses=MappingProxyType(dict(sectioned)))
        stmt = (
            select(
                per.notebook_id,
                per.course_id,
                func.count(),
                func.sum(per.executions),
                func.max(per.last_received_at),
            )
            .where(in_scope(sections, per.course_id, per.student_id))
            .group_by(per.notebook_id, per.course_id)
        )
        for nb, course, students, executions, last in await conn.execute(stmt):
            per_course.setdefault(nb, []).append((course, students, executions, last))
    counts: dict[int, Counts] = {}
    shared = []
    for nb, rows in per_course.items():
        lasts = [row[3] for row in rows if row[3] is not None]
        executions = sum(int(row[2] or 0) for row in rows)
        counts[nb] = (rows[0][1], executions, max(lasts) if lasts else None)
        if len(rows) > 1:
            shared.append(nb)
    if shared:
        # A notebook of several courses (rare): a student of two of them counts once.
        per = NotebookStudent
        distinct = await conn.execute(
            select(per.notebook_id, func.count(func.distinct(per.student_id)))
            .where(per.notebook_id.in_(shared), in_scope(scope, per.course_id, per.student_id))
            .group_by(per.notebook_id)
        )
        for nb, students in distinct:
            counts[nb] = (int(students), *counts[nb][1:])
    return counts


async def _active(conn: AsyncConnection, scope: Scope, since: datetime) -> dict[int, int]:
    """Per notebook, the students in scope the server received a run from since `since`."""
    per = NotebookStudent
    rows = await conn.execute(
        select(per.notebook_id, func.count(func.distinct(per.student_id)))
        .where(per.last_received_at >= since, in_scope(scope, per.course_id, per.student_id))
        .group_by(per.notebook_id)
    )
    return {int(nb): int(students) for nb, students in rows}
