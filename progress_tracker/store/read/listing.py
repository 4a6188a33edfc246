"""The exercises a caller may open: assignments of their courses and unpublished notebooks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ...courses.scope import Scope
from ..models import Notebook
from ..state.tables import NotebookStudent
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
    read model: one row per notebook, course and student, never the history.
    """
    since = datetime.now(UTC) - ACTIVE_WINDOW
    per = NotebookStudent
    recent_student = case((per.last_received_at >= since, per.student_id))
    stats = (
        select(
            per.notebook_id.label("notebook_id"),
            func.count(func.distinct(per.student_id)).label("students"),
            func.count(func.distinct(recent_student)).label("active"),
            func.sum(per.executions).label("executions"),
            func.max(per.last_received_at).label("last"),
        )
        .where(in_scope(scope, per.course_id, per.student_id))
        .group_by(per.notebook_id)
        .subquery()
    )
    stmt = select(
        Notebook.path,
        Notebook.assignment_id,
        Notebook.course_id,
        Notebook.title,
        Notebook.published_path,
        stats.c.students,
        stats.c.active,
        stats.c.executions,
        stats.c.last,
    ).join(stats, stats.c.notebook_id == Notebook.id, isouter=True)
    if not scope.everything:
        stmt = stmt.where(
            or_(
                stats.c.notebook_id.is_not(None),
                and_(Notebook.assignment_id != "", Notebook.course_id.in_(sorted(scope.courses))),
            )
        )
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    listed = [
        {
            "key": key_text((row.assignment_id, row.path)),
            "assignmentId": row.assignment_id or None,
            "course": row.course_id,
            "title": row.title,
            "path": row.published_path if row.assignment_id else row.path,
            "students": row.students or 0,
            "activeStudents": row.active or 0,
            "executions": int(row.executions or 0),
            "lastActivity": iso(row.last),
        }
        for row in rows
    ]
    listed.sort(
        key=lambda nb: (nb["activeStudents"], nb["lastActivity"] or "", nb["key"]), reverse=True
    )
    return listed
