"""Read-model rows of one notebook turned into the dashboard's per student x cell states.

Rows are per course the runs were attributed to; a caller reads those of the courses (and
sections) in scope, and a student's rows of one cell in several such courses are merged.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from ...courses.scope import Scope
from ..models import Cell, Student
from ..state.tables import CellState, KernelState
from .rows import iso, utc
from .scoping import in_scope

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
    _c.last_exec,
    _c.last_failed,
    _c.last_interrupted,
    _c.last_count,
    _c.last_index,
    _c.last_type,
    _c.error_at,
    _c.error_exec,
    _c.error_message,
    _c.started_at,
)


# What the latest run of a row says (merged together).
RUN_FIELDS = ("last_at", "last_exec", "last_failed", "last_interrupted", "last_count")


def visible(scope: Scope) -> Any:
    """The read-model rows `scope` may read (as executions: by course and student)."""
    return in_scope(scope, _c.course_id, _c.student_id)


@dataclass
class StudentState:
    """One student's cells (cell pk -> the values of FIELDS) and latest activity."""

    user_id: str
    cells: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    last_activity: str | None = None
    current_cell: int | None = None


def run_status(row: Any) -> str:
    """The status of a latest run: interrupted (stopped by the student), failed or succeeded."""
    if row.last_interrupted:
        return "interrupted"
    return "failed" if row.last_failed else "succeeded"


def cell_values(
    row: Any, running_since: datetime, kernel_at: datetime | None = None
) -> tuple[Any, ...] | None:
    """FIELDS of one read-model row, or None when it shows nothing (an old start, no result).

    A start is running until a later result, the running window, or a later kernel status
    change of the student's notebook (`kernel_at`: a restart, shutdown or reload ends it).
    """
    started = utc(row.started_at)
    last = utc(row.last_at)
    running = (
        started is not None
        and started >= running_since
        and (last is None or started > last)
        and (kernel_at is None or started > utc(kernel_at))
    )
    if not running and last is None:
        return None
    if running:
        status, at = "running", started
    else:
        status, at = run_status(row), last
    return (
        status,
        row.attempts,
        row.errors,
        row.error_message if row.error_at is not None else None,
        iso(at),
        row.last_count,
    )


def _later(at: Any, pk: Any, than_at: Any, than_pk: Any) -> bool:
    return at is not None and (than_at is None or (utc(at), pk) > (utc(than_at), than_pk))


def merged(rows: Iterable[Any]) -> Iterator[Any]:
    """Rows ordered by (student, cell), those of one student and cell (several courses) merged
    as the writer would have kept them in one: counts summed, the latest run and failure kept."""
    current: SimpleNamespace | None = None
    for row in rows:
        if current is not None and (row.student_id, row.cell_pk) == (
            current.student_id,
            current.cell_pk,
        ):
            current.attempts += row.attempts
            current.errors += row.errors
            if _later(row.last_at, row.last_exec, current.last_at, current.last_exec):
                for name in RUN_FIELDS:
                    setattr(current, name, getattr(row, name))
                current.last_index, current.last_type = row.last_index, row.last_type
            if _later(row.error_at, row.error_exec, current.error_at, current.error_exec):
                current.error_at, current.error_exec = row.error_at, row.error_exec
                current.error_message = row.error_message
            if _later(row.started_at, 0, current.started_at, 0):
                current.started_at = row.started_at
            continue
        if current is not None:
            yield current
        current = SimpleNamespace(**row._mapping)
    if current is not None:
        yield current


async def notebook_cells(conn: AsyncConnection, notebook_id: int) -> list[Any]:
    """The notebook's cells (pk, cell id, index as first reported, type, and what a publication
    says: published, position, label, source), in the order first reported."""
    rows = await conn.execute(
        select(
            Cell.id,
            Cell.cell_id,
            Cell.cell_index,
            Cell.cell_type,
            Cell.published,
            Cell.position,
            Cell.label,
            Cell.source,
        )
        .where(Cell.notebook_id == notebook_id)
        .order_by(Cell.cell_index.is_(None), Cell.cell_index, Cell.id)
    )
    return rows.all()


async def student_states(
    conn: AsyncConnection,
    notebook_id: int,
    scope: Scope,
    *,
    shown: Collection[int] | None = None,
    own: Collection[int] = (),
    now: datetime | None = None,
) -> tuple[list[StudentState], list[tuple[Any, ...]], dict[str, dict[str, int]]]:
    """Every student's state in the notebook, by user name, read in one statement (consistent).

    Only the cells `shown` (None: all) are in the states; the runs of the `own` cells are
    summed up per student (own cells). Also answers each latest run's position and type,
    which order the class's columns (`columns.class_cells`).
    """
    running_since = (now or datetime.now(UTC)) - RUNNING_WINDOW
    stmt = (
        select(*READ_COLUMNS)
        .where(_c.notebook_id == notebook_id, visible(scope))
        .order_by(_c.student_id, _c.cell_pk)
    )
    rows = list(merged((await conn.execute(stmt)).all()))
    names = await _names(conn, {row.student_id for row in rows})
    kernels = await kernel_times(conn, notebook_id)
    by_student: dict[int, StudentState] = {}
    own_cells: dict[str, dict[str, int]] = {}
    latest_runs = []
    for row in rows:
        if row.last_at is not None:
            latest_runs.append((row.cell_pk, row.last_index, row.last_type, 1))
        if row.cell_pk in own and row.attempts:
            summary = own_cells.setdefault(names[row.student_id], {"runs": 0, "errors": 0})
            summary["runs"] += row.attempts
            summary["errors"] += row.errors
        if shown is not None and row.cell_pk not in shown:
            continue
        values = cell_values(row, running_since, kernels.get(row.student_id))
        if values is None:
            continue
        state = by_student.get(row.student_id)
        if state is None:
            state = by_student[row.student_id] = StudentState(names[row.student_id])
        state.cells[row.cell_pk] = values
        at = values[4]
        if state.last_activity is None or at > state.last_activity:
            state.last_activity, state.current_cell = at, row.cell_pk
    students = sorted(by_student.values(), key=lambda state: state.user_id)
    return students, latest_runs, own_cells


async def latest_runs(conn: AsyncConnection, notebook_id: int, scope: Scope) -> list[Any]:
    """Each cell's latest-run positions and types in scope, counted (what `class_cells` weighs).

    A student's rows of one cell in two courses count twice: rare, and only a weight.
    """
    rows = await conn.execute(
        select(_c.cell_pk, _c.last_index, _c.last_type, func.count())
        .where(_c.notebook_id == notebook_id, _c.last_at.is_not(None), visible(scope))
        .group_by(_c.cell_pk, _c.last_index, _c.last_type)
    )
    return [tuple(row) for row in rows]


async def own_totals(
    conn: AsyncConnection, notebook_id: int, own: Collection[int], scope: Scope
) -> dict[str, dict[str, int]]:
    """Per student, the runs and errors of their own cells (cells they added to an assignment)."""
    if not own:
        return {}
    rows = await conn.execute(
        select(Student.user_id, func.sum(_c.attempts), func.sum(_c.errors))
        .join(Student, Student.id == _c.student_id)
        .where(_c.notebook_id == notebook_id, _c.cell_pk.in_(list(own)), visible(scope))
        .group_by(Student.user_id)
        .having(func.sum(_c.attempts) > 0)
    )
    return {user: {"runs": int(runs), "errors": int(errors or 0)} for user, runs, errors in rows}


async def kernel_times(conn: AsyncConnection, notebook_id: int) -> dict[int, datetime]:
    """Per student, their latest kernel status change in the notebook (any course: it only
    ends the running cells of the rows a caller reads)."""
    table = KernelState.__table__.c
    rows = await conn.execute(
        select(table.student_id, func.max(table.status_at))
        .where(table.notebook_id == notebook_id)
        .group_by(table.student_id)
    )
    return dict(rows.all())  # type: ignore[arg-type]


async def _names(conn: AsyncConnection, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await conn.execute(select(Student.id, Student.user_id).where(Student.id.in_(ids)))
    return dict(rows.all())
