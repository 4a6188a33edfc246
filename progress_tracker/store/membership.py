"""What the writer keeps about courses: the course rows, members, and assignments' cells."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from ..events import Event
from ..events.model import NO_NOTEBOOK, notebook_of
from .dialect import insert_for
from .models import Cell, Course, CourseMember

# How an event names its exercise: (assignment id, "") for an assignment, ("", path) otherwise.
NotebookKey = tuple[str, str]


def notebook_key(event: Event) -> NotebookKey:
    """The notebooks row an event belongs to (attribution dropped assignments not allowed)."""
    if event.assignment_id is not None:
        return (event.assignment_id, NO_NOTEBOOK)
    return ("", notebook_of(event))


async def ensure_courses(
    conn: AsyncConnection, dialect: str, courses: Iterable[str], created: datetime
) -> None:
    """Create the course rows not stored yet (titled by their id until configured)."""
    rows = [{"id": c, "title": c, "created_at": created} for c in sorted(set(courses))]
    if rows:
        stmt = insert_for(dialect, Course).on_conflict_do_nothing(index_elements=["id"])
        await conn.execute(stmt, rows)


def member_rows(events: Iterable[Event], students: dict[str, int]) -> dict[tuple[str, int], Any]:
    """(course, student) -> (role, section) as the batch's latest event says."""
    members: dict[tuple[str, int], Any] = {}
    for event in events:
        if event.course is not None:
            members[(event.course, students[event.user_id])] = (
                event.role or "student",
                event.section,
            )
    return members


async def upsert_members(
    conn: AsyncConnection, dialect: str, members: dict[tuple[str, int], Any]
) -> None:
    """Insert or update each member's role and section."""
    if not members:
        return
    stmt = insert_for(dialect, CourseMember)
    stmt = stmt.on_conflict_do_update(
        index_elements=["course_id", "student_id"],
        set_={"role": stmt.excluded.role, "section": stmt.excluded.section},
    )
    await conn.execute(
        stmt,
        [
            {"course_id": course, "student_id": student, "role": role, "section": section}
            for (course, student), (role, section) in sorted(members.items())
        ],
    )


async def matched_cells(
    conn: AsyncConnection, notebooks: dict[NotebookKey, int], events: Iterable[Event]
) -> dict[tuple[int, str], str]:
    """(notebook, cell id) -> the published cell id it stands for, when that differs.

    In an assignment, a cell whose id is not published but whose nbgrader grade id is (a copy
    whose cell ids were regenerated) is that published cell.
    """
    graded = [e for e in events if e.assignment_id and e.grade_id and e.cell_id]
    if not graded:
        return {}
    published = await published_cells(conn, {notebooks[notebook_key(e)] for e in graded})
    matched: dict[tuple[int, str], str] = {}
    for event in graded:
        notebook_id = notebooks[notebook_key(event)]
        by_cell, by_grade = published[notebook_id]
        assert event.cell_id is not None and event.grade_id is not None
        if event.cell_id not in by_cell and event.grade_id in by_grade:
            pk = by_grade[event.grade_id]
            matched[(notebook_id, event.cell_id)] = next(c for c, p in by_cell.items() if p == pk)
    return matched


async def published_cells(
    conn: AsyncConnection, notebook_ids: Iterable[int]
) -> dict[int, tuple[dict[str, int], dict[str, int]]]:
    """Per assignment notebook: its published cells by cell id, and by nbgrader grade id."""
    ids = set(notebook_ids)
    found: dict[int, tuple[dict[str, int], dict[str, int]]] = {nb: ({}, {}) for nb in ids}
    if not ids:
        return found
    rows = await conn.execute(
        select(Cell.notebook_id, Cell.cell_id, Cell.grade_id, Cell.id).where(
            Cell.notebook_id.in_(ids), Cell.published.is_(True)
        )
    )
    for notebook_id, cell_id, grade_id, pk in rows:
        by_cell, by_grade = found[notebook_id]
        by_cell[cell_id] = pk
        if grade_id:
            by_grade[grade_id] = pk
    return found
