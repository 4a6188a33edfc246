"""The errors of a notebook, grouped per cell and message, most widespread first.

Each group also names the students whose latest run of the cell failed with that error now
(`studentsNow`), from the read model: who to go and see, not only how many ever saw it.

Within a time window [since, until) only the runs inside it count, and `studentsNow` are the
students whose latest run of the cell inside the window failed so (read from the runs
themselves: the read model only knows the latest run of all).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ...courses.scope import Scope
from ..models import Cell, CellExecution, Notebook, Student
from ..state.tables import CellState
from .rows import iso
from .scoping import EVERYTHING, NotebookKey, as_key, in_scope, notebook_is
from .states import READ_COLUMNS, merged, visible


async def failing_now(
    conn: Any, key: NotebookKey, scope: Scope
) -> dict[tuple[str, str | None], list[str]]:
    """(cell id, error message) -> the students in scope whose latest run of it failed so."""
    table = CellState.__table__.c
    rows = await conn.execute(
        select(*READ_COLUMNS)
        .join(Notebook, Notebook.id == table.notebook_id)
        .where(notebook_is(key), visible(scope))
        .order_by(table.student_id, table.cell_pk)
    )
    failing = [row for row in merged(rows.all()) if row.last_failed]
    if not failing:
        return {}
    names = dict(
        (
            await conn.execute(
                select(Student.id, Student.user_id).where(
                    Student.id.in_({row.student_id for row in failing})
                )
            )
        ).all()
    )
    cells = dict(
        (
            await conn.execute(
                select(Cell.id, Cell.cell_id).where(Cell.id.in_({row.cell_pk for row in failing}))
            )
        ).all()
    )
    now: dict[tuple[str, str | None], list[str]] = {}
    for row in failing:
        # The latest run failed, so the latest failure is that run and its message is this one.
        now.setdefault((cells[row.cell_pk], row.error_message), []).append(names[row.student_id])
    return {group: sorted(students) for group, students in now.items()}


async def failing_within(
    conn: Any, key: NotebookKey, scope: Scope, since: datetime | None, until: datetime | None
) -> dict[tuple[str, str | None], list[str]]:
    """(cell id, error message) -> the students in scope whose latest run of the cell within
    [since, until) failed with it."""
    # The latest run as the read model orders them: by time, then by row id.
    rank = (
        func.row_number()
        .over(
            partition_by=(CellExecution.student_id, CellExecution.cell_pk),
            order_by=(CellExecution.event_time.desc(), CellExecution.id.desc()),
        )
        .label("rank")
    )
    runs = _windowed(
        select(
            CellExecution.student_id,
            CellExecution.cell_pk,
            CellExecution.has_error,
            CellExecution.error_message,
            rank,
        )
        .join(Notebook, Notebook.id == CellExecution.notebook_id)
        .where(
            notebook_is(key), in_scope(scope, CellExecution.course_id, CellExecution.student_id)
        ),
        since,
        until,
    ).subquery()
    rows = await conn.execute(
        select(Cell.cell_id, runs.c.error_message, Student.user_id)
        .join(Cell, Cell.id == runs.c.cell_pk)
        .join(Student, Student.id == runs.c.student_id)
        .where(runs.c.rank == 1, runs.c.has_error.is_(True))
    )
    now: dict[tuple[str, str | None], list[str]] = {}
    for cell_id, message, user in rows:
        now.setdefault((cell_id, message), []).append(user)
    return {group: sorted(students) for group, students in now.items()}


def _windowed(stmt: Any, since: datetime | None, until: datetime | None) -> Any:
    """`stmt` limited to the runs within [since, until) (either end open when None)."""
    if since is not None:
        stmt = stmt.where(CellExecution.event_time >= since)
    if until is not None:
        stmt = stmt.where(CellExecution.event_time < until)
    return stmt


async def errors(
    engine: AsyncEngine,
    notebook: str | NotebookKey,
    *,
    per_cell: int = 10,
    scope: Scope = EVERYTHING,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[dict[str, Any]]:
    """Distinct errors of each cell, most widespread first, with an example (in scope), of the
    runs within [since, until) when either is given."""
    key = as_key(notebook)
    assert key is not None
    windowed = since is not None or until is not None
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
    stmt = _windowed(stmt, since, until)
    async with engine.connect() as conn:
        groups = (await conn.execute(stmt)).all()
        example_rows = await conn.execute(
            select(CellExecution.id, CellExecution.code, Student.user_id)
            .join(Student, Student.id == CellExecution.student_id)
            .where(CellExecution.id.in_({g.example_id for g in groups}))
        )
        examples = {row.id: (row.code, row.user_id) for row in example_rows}
        current = (
            await failing_within(conn, key, scope, since, until)
            if windowed
            else await failing_now(conn, key, scope)
        )
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
                "studentsNow": current.get((group.cell_id, group.error_message), []),
            }
        )
    for cell in by_cell.values():
        cell["errors"].sort(key=lambda e: (-e["students"], -e["occurrences"]))
        del cell["errors"][per_cell:]
    return sorted(
        by_cell.values(),
        key=lambda c: (c["cellIndex"] is None, c["cellIndex"] or 0, c["cellId"]),
    )
