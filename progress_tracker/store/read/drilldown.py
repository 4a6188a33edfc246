"""A cell's drill-down: every student's latest attempt, with their struggle signals.

The states come from the read model (the same rules as the snapshot: `states.cell_values`), the
latest attempt's code, result and error from its stored execution, and the signals from the
student's runs of the whole notebook (`signals.py`: time on a cell counts the gaps before its
runs, whichever cell the student ran before).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from ...courses.scope import Scope
from ..models import Cell, CellExecution, Notebook, Student
from ..state.tables import CellState
from . import signals
from .rows import utc
from .scoping import NotebookKey, in_scope, notebook_is
from .states import READ_COLUMNS, RUNNING_WINDOW, cell_values, kernel_times, merged, visible

_c = CellState.__table__.c


async def _cell_of(conn: Any, key: NotebookKey, cell_id: str, scope: Scope) -> Any:
    """(notebook id, cell pk) of the exercise's cell, or None (unknown, or not in scope)."""
    found = (
        await conn.execute(
            select(Notebook.id, Notebook.course_id, Cell.id.label("cell_pk"))
            .join(Cell, Cell.notebook_id == Notebook.id)
            .where(notebook_is(key), Cell.cell_id == cell_id)
        )
    ).first()
    if found is None or (key[0] and not scope.allows_course(found.course_id)):
        return None
    return found


async def _runs(conn: Any, notebook_id: int, students: set[int], scope: Scope) -> list[Any]:
    """Every run in scope of these students in the notebook, oldest first."""
    rows = await conn.execute(
        select(
            CellExecution.student_id,
            CellExecution.cell_pk,
            CellExecution.event_time,
            CellExecution.has_error,
            CellExecution.interrupted,
            CellExecution.error_message,
        )
        .where(
            CellExecution.notebook_id == notebook_id,
            CellExecution.student_id.in_(students),
            in_scope(scope, CellExecution.course_id, CellExecution.student_id),
        )
        .order_by(CellExecution.event_time, CellExecution.id)
    )
    return rows.all()


async def _latest(conn: Any, ids: set[int]) -> dict[int, Any]:
    """The latest executions' code, result and error, by execution id."""
    if not ids:
        return {}
    rows = await conn.execute(
        select(
            CellExecution.id,
            CellExecution.code,
            CellExecution.result,
            CellExecution.error_message,
        ).where(CellExecution.id.in_(ids))
    )
    return {row.id: row for row in rows}


def _student_signals(runs: list[Any], cell_pk: int, idle: timedelta) -> dict[str, Any]:
    activity = [
        signals.Run(
            at=utc(run.event_time),  # type: ignore[arg-type]
            cell=str(run.cell_pk),
            failed=bool(run.has_error),
            error=run.error_message,
            interrupted=bool(run.interrupted),
        )
        for run in runs
    ]
    return signals.as_wire(signals.signals(activity, str(cell_pk), idle))


async def latest_attempts(
    engine: AsyncEngine,
    key: NotebookKey,
    cell_id: str,
    scope: Scope,
    *,
    idle_cutoff: timedelta,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The drill-down of one cell (no student when the exercise has no such cell in scope)."""
    running_since = (now or datetime.now(UTC)) - RUNNING_WINDOW
    answer: dict[str, Any] = {
        "notebook": key[1] or None,
        "assignment": key[0] or None,
        "cellId": cell_id,
        "students": [],
        "definitions": signals.DEFINITIONS,
    }
    async with engine.connect() as conn:
        cell = await _cell_of(conn, key, cell_id, scope)
        if cell is None:
            return answer
        stmt = (
            select(*READ_COLUMNS)
            .where(_c.notebook_id == cell.id, _c.cell_pk == cell.cell_pk, visible(scope))
            .order_by(_c.student_id, _c.cell_pk)
        )
        states = list(merged((await conn.execute(stmt)).all()))
        ids = {row.student_id for row in states}
        found = await conn.execute(select(Student.id, Student.user_id).where(Student.id.in_(ids)))
        names: dict[int, str] = {pk: name for pk, name in found}
        kernels = await kernel_times(conn, cell.id)
        runs = await _runs(conn, cell.id, ids, scope)
        latest = await _latest(conn, {row.last_exec for row in states if row.last_exec})
    by_student: dict[int, list[Any]] = {}
    for run in runs:
        by_student.setdefault(run.student_id, []).append(run)
    students = []
    for row in states:
        values = cell_values(row, running_since, kernels.get(row.student_id))
        if values is None:
            continue
        execution = latest.get(row.last_exec)
        students.append(
            {
                "student": names[row.student_id],
                "status": values[0],
                "code": execution.code if execution else None,
                "result": execution.result if execution else None,
                "errorMessage": execution.error_message if execution else None,
                "attempts": row.attempts,
                "errors": row.errors,
                "lastAt": values[4],
                "signals": _student_signals(
                    by_student.get(row.student_id, []), row.cell_pk, idle_cutoff
                ),
            }
        )
    students.sort(key=lambda student: student["student"])
    return {**answer, "students": students}
