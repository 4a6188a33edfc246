"""Assignments as the API lists them: in the courses of the caller's scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ...courses.scope import Scope
from ..models import Cell, CellExecution, Course, CourseMember, Notebook
from .rows import iso
from .scoping import in_scope

CELL_FIELDS = ("cellId", "gradeId", "cellType", "label", "source", "position")


def _courses_condition(scope: Scope) -> Any:
    if scope.everything:
        return Notebook.assignment_id != ""
    return Notebook.course_id.in_(sorted(scope.courses))


async def assignment_list(engine: AsyncEngine, scope: Scope) -> list[dict[str, Any]]:
    """Every assignment of a course in scope: its cells, students (in scope), last activity."""
    published = (
        select(Cell.notebook_id, func.sum(Cell.published.cast(Integer)).label("cells"))
        .group_by(Cell.notebook_id)
        .subquery()
    )
    activity = (
        select(
            CellExecution.notebook_id,
            func.count(func.distinct(CellExecution.student_id)).label("students"),
            func.max(CellExecution.received_at).label("last"),
        )
        .where(in_scope(scope, CellExecution.course_id, CellExecution.student_id))
        .group_by(CellExecution.notebook_id)
        .subquery()
    )
    stmt = (
        select(
            Notebook.assignment_id,
            Notebook.course_id,
            Notebook.title,
            Notebook.published_path,
            Notebook.version,
            published.c.cells,
            activity.c.students,
            activity.c.last,
        )
        .join(published, published.c.notebook_id == Notebook.id, isouter=True)
        .join(activity, activity.c.notebook_id == Notebook.id, isouter=True)
        .where(Notebook.assignment_id != "", Notebook.path == "", _courses_condition(scope))
        .order_by(Notebook.course_id, Notebook.title, Notebook.assignment_id)
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    return [
        {
            "assignmentId": row.assignment_id,
            "course": row.course_id,
            "title": row.title,
            "path": row.published_path,
            "version": row.version,
            "cells": int(row.cells or 0),
            "students": row.students or 0,
            "lastActivity": iso(row.last),
        }
        for row in rows
    ]


async def assignment_detail(
    engine: AsyncEngine, assignment_id: str, scope: Scope
) -> dict[str, Any] | None:
    """One assignment with its published cells in order (None: unknown or out of scope)."""
    listed = [a for a in await assignment_list(engine, scope) if a["assignmentId"] == assignment_id]
    if not listed:
        return None
    async with engine.connect() as conn:
        cells = (
            await conn.execute(
                select(
                    Cell.cell_id,
                    Cell.grade_id,
                    Cell.cell_type,
                    Cell.label,
                    Cell.source,
                    Cell.position,
                )
                .join(Notebook, Notebook.id == Cell.notebook_id)
                .where(
                    Notebook.assignment_id == assignment_id,
                    Notebook.path == "",
                    Cell.published.is_(True),
                )
                .order_by(Cell.position)
            )
        ).all()
    return {**listed[0], "cells": [dict(zip(CELL_FIELDS, cell, strict=True)) for cell in cells]}


async def course_sections(engine: AsyncEngine, courses: list[str]) -> dict[str, list[str]]:
    """The sections that members of each course are in (as their groups said last)."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(CourseMember.course_id, CourseMember.section)
            .where(CourseMember.course_id.in_(courses), CourseMember.section.is_not(None))
            .distinct()
        )
    sections: dict[str, list[str]] = {course: [] for course in courses}
    for course, section in rows:
        sections[course].append(section)
    return {course: sorted(found) for course, found in sections.items()}


async def course_ids(engine: AsyncEngine) -> list[str]:
    """Every stored course."""
    async with engine.connect() as conn:
        return list(await conn.scalars(select(Course.id).order_by(Course.id)))
