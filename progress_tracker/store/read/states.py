"""Read-model rows of one notebook turned into the dashboard's per student x cell states."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from ..models import Cell, Student
from ..state.tables import CellState
from .rows import iso, utc

# A started cell with no result after this long is not shown as running (its kernel died).
RUNNING_WINDOW = timedelta(hours=1)
# The order of a cell's values in the compact form (`docs/api.md`).
FIELDS = ("status", "attempts", "errors", "lastError", "lastActivity", "executionCount")


_c = CellState.__table__.c
READ_COLUMNS = (
    _c.student_id,
    _c.cell_pk,
    _c.attempts,
    _c.errors,
    _c.last_at,
    _c.last_failed,
    _c.last_count,
    _c.last_index,
    _c.last_type,
    _c.error_at,
    _c.error_message,
    _c.started_at,
)


@dataclass
class StudentState:
    """One student's cells (cell pk -> the values of FIELDS) and latest activity."""

    user_id: str
    cells: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    last_activity: str | None = None
    current_cell: int | None = None


def cell_values(row: Any, running_since: datetime) -> tuple[Any, ...] | None:
    """FIELDS of one read-model row, or None when it shows nothing (an old start, no result)."""
    started = utc(row.started_at)
    last = utc(row.last_at)
    running = started is not None and started >= running_since and (last is None or started > last)
    if not running and last is None:
        return None
    if running:
        status, at = "running", started
    else:
        status, at = ("failed" if row.last_failed else "succeeded"), last
    return (
        status,
        row.attempts,
        row.errors,
        row.error_message if row.error_at is not None else None,
        iso(at),
        row.last_count,
    )


async def notebook_cells(conn: AsyncConnection, notebook_id: int) -> list[Any]:
    """The notebook's cells as first reported (pk, cell id, index, type), in that order."""
    rows = await conn.execute(
        select(Cell.id, Cell.cell_id, Cell.cell_index, Cell.cell_type)
        .where(Cell.notebook_id == notebook_id)
        .order_by(Cell.cell_index.is_(None), Cell.cell_index, Cell.id)
    )
    return rows.all()


async def student_states(
    conn: AsyncConnection,
    notebook_id: int,
    *,
    students: Collection[int] | None = None,
    now: datetime | None = None,
) -> tuple[list[StudentState], list[tuple[Any, ...]]]:
    """Every student's state in the notebook, by user name, read in one statement (consistent).

    `students` limits them (course scoping). Also answers each latest run's position and type,
    which order the class's columns (`class_cells`).
    """
    running_since = (now or datetime.now(UTC)) - RUNNING_WINDOW
    table = CellState.__table__
    stmt = (
        select(*READ_COLUMNS)
        .where(table.c.notebook_id == notebook_id)
        .order_by(table.c.student_id, table.c.cell_pk)
    )
    if students is not None:
        stmt = stmt.where(table.c.student_id.in_(list(students)))
    rows = (await conn.execute(stmt)).all()
    names = await _names(conn, {row.student_id for row in rows})
    by_student: dict[int, StudentState] = {}
    latest_runs = []
    for row in rows:
        if row.last_at is not None:
            latest_runs.append((row.cell_pk, row.last_index, row.last_type, 1))
        values = cell_values(row, running_since)
        if values is None:
            continue
        state = by_student.get(row.student_id)
        if state is None:
            state = by_student[row.student_id] = StudentState(names[row.student_id])
        state.cells[row.cell_pk] = values
        at = values[4]
        if state.last_activity is None or at > state.last_activity:
            state.last_activity, state.current_cell = at, row.cell_pk
    return sorted(by_student.values(), key=lambda state: state.user_id), latest_runs


async def _names(conn: AsyncConnection, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await conn.execute(select(Student.id, Student.user_id).where(Student.id.in_(ids)))
    return dict(rows.all())
