"""The errors of a notebook, grouped per cell and message, most widespread first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ...courses.scope import Scope
from ..models import Cell, CellExecution, Notebook, Student
from .rows import iso
from .scoping import EVERYTHING, NotebookKey, as_key, in_scope, notebook_is


async def errors(
    engine: AsyncEngine,
    notebook: str | NotebookKey,
    *,
    per_cell: int = 10,
    scope: Scope = EVERYTHING,
) -> list[dict[str, Any]]:
    """Distinct errors of each cell, most widespread first, with an example (in scope)."""
    key = as_key(notebook)
    assert key is not None
    stmt = (
        select(
            Cell.cell_id,
            Cell.cell_index,
            CellExecution.error_message,
            func.count(func.distinct(CellExecution.student_id)).label("students"),
            func.count().label("occurrences"),
            func.max(CellExecution.event_time).label("last_seen"),
            func.max(CellExecution.id).label("example_id"),
        )
        .join(Cell, Cell.id == CellExecution.cell_pk)
        .join(Notebook, Notebook.id == CellExecution.notebook_id)
        .where(
            notebook_is(key),
            CellExecution.has_error.is_(True),
            in_scope(scope, CellExecution.course_id, CellExecution.student_id),
        )
        .group_by(Cell.cell_id, Cell.cell_index, CellExecution.error_message)
    )
    async with engine.connect() as conn:
        groups = (await conn.execute(stmt)).all()
        example_rows = await conn.execute(
            select(CellExecution.id, CellExecution.code, Student.user_id)
            .join(Student, Student.id == CellExecution.student_id)
            .where(CellExecution.id.in_({g.example_id for g in groups}))
        )
        examples = {row.id: (row.code, row.user_id) for row in example_rows}
    by_cell: dict[str, dict[str, Any]] = {}
    for group in groups:
        cell = by_cell.setdefault(
            group.cell_id,
            {"cellId": group.cell_id, "cellIndex": group.cell_index, "errors": []},
        )
        code, user = examples.get(group.example_id, (None, None))
        cell["errors"].append(
            {
                "errorMessage": group.error_message,
                "students": group.students,
                "occurrences": group.occurrences,
                "exampleCode": code,
                "exampleUser": user,
                "lastSeen": iso(group.last_seen),
            }
        )
    for cell in by_cell.values():
        cell["errors"].sort(key=lambda e: (-e["students"], -e["occurrences"]))
        del cell["errors"][per_cell:]
    return sorted(
        by_cell.values(),
        key=lambda c: (c["cellIndex"] is None, c["cellIndex"] or 0, c["cellId"]),
    )
