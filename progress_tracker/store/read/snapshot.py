"""The dashboard's snapshot: per student and cell, the status, attempts, errors and last error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, and_, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ...courses.scope import Scope
from ...events import EventType
from ..models import Cell, CellExecution, Notebook, NotebookEvent, Student
from .columns import exercise_columns
from .listing import notebook_list
from .presence import presence, raised_hands
from .rows import iso, utc
from .scoping import EVERYTHING, NotebookKey, as_key, in_scope, notebook_is

# A started cell with no result after this long is not shown as running (its kernel died).
RUNNING_WINDOW = timedelta(hours=1)


async def progress(
    engine: AsyncEngine,
    notebook: str | NotebookKey | None,
    scope: Scope = EVERYTHING,
    *,
    heartbeat_s: float = 60,
) -> dict[str, Any]:
    """The dashboard snapshot of the students in scope: per cell, status, attempts, errors.

    For an assignment, `columns` are its published cells in order (run or not) and cells the
    students added are summed up per student in `ownCells`, never as columns.
    """
    notebooks = await notebook_list(engine, scope)
    key = as_key(notebook)
    if key is None and notebooks:
        first = notebooks[0]
        key = (first["assignmentId"], "") if first["assignmentId"] else ("", first["path"])
    cursor_id, cursor_event = await cursor(engine)
    snapshot: dict[str, Any] = {
        "notebooks": notebooks,
        "notebook": None if key is None else (f"assignment:{key[0]}" if key[0] else key[1]),
        "assignment": None,
        "cells": [],
        "columns": [],
        "students": [],
        "ownCells": {},
        "presence": {},
        "help": {},
        "lastEventId": cursor_event,
        "generatedAt": datetime.now(UTC).isoformat(),
    }
    if key is None:
        return snapshot
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                select(Notebook.id, Notebook.course_id, Notebook.title, Notebook.version).where(
                    notebook_is(key)
                )
            )
        ).first()
        if row is None or (key[0] and not scope.allows_course(row.course_id)):
            return snapshot
        notebook_id = row.id
        if key[0]:
            snapshot["assignment"] = {
                "id": key[0],
                "course": row.course_id,
                "title": row.title,
                "version": row.version,
            }
        cells = (
            await conn.execute(
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
        ).all()
        visible = in_scope(scope, CellExecution.course_id, CellExecution.student_id)
        totals = (
            await conn.execute(
                select(
                    CellExecution.student_id,
                    CellExecution.cell_pk,
                    func.count(),
                    func.sum(CellExecution.has_error.cast(Integer)),
                    func.max(CellExecution.event_time),
                )
                .where(
                    CellExecution.notebook_id == notebook_id,
                    CellExecution.id <= cursor_id,
                    visible,
                )
                .group_by(CellExecution.student_id, CellExecution.cell_pk)
            )
        ).all()
        latest = await _latest_runs(conn, notebook_id, cursor_id, visible)
        last_errors = await _latest_runs(conn, notebook_id, cursor_id, visible, errors_only=True)
        started = await _started_runs(conn, notebook_id, scope)
        student_rows = await conn.execute(
            select(Student.id, Student.user_id).where(
                Student.id.in_({r[0] for r in totals} | {student for student, _ in started})
            )
        )
        names = {row.id: row.user_id for row in student_rows}
        snapshot["presence"] = await presence(conn, notebook_id, scope, heartbeat_s=heartbeat_s)
        snapshot["help"] = await raised_hands(conn, notebook_id, scope)
    snapshot["cells"], snapshot["columns"], own, shown = exercise_columns(
        bool(key[0]), cells, latest.values()
    )
    cell_ids = {c.id: c.cell_id for c in cells}
    students: dict[int, dict[str, Any]] = {}
    own_cells: dict[str, dict[str, int]] = {}
    for student_pk, cell_pk, attempts, errors, last in totals:
        if cell_pk in own:
            summary = own_cells.setdefault(names[student_pk], {"runs": 0, "errors": 0})
            summary["runs"] += attempts
            summary["errors"] += int(errors or 0)
        if cell_pk not in shown:
            continue
        student = students.setdefault(
            student_pk,
            {
                "userId": names[student_pk],
                "lastActivity": None,
                "currentCellId": None,
                "cells": {},
            },
        )
        run = latest[(student_pk, cell_pk)]
        error = last_errors.get((student_pk, cell_pk))
        student["cells"][cell_ids[cell_pk]] = {
            "status": "failed" if run["has_error"] else "succeeded",
            "attempts": attempts,
            "errors": int(errors or 0),
            "lastError": error["error_message"] if error else None,
            "lastActivity": iso(last),
            "executionCount": run["execution_count"],
        }
        if student["lastActivity"] is None or iso(last) > student["lastActivity"]:
            student["lastActivity"] = iso(last)
            student["currentCellId"] = cell_ids[cell_pk]
    shown_ids = {cell_ids[pk] for pk in shown}
    for (student_pk, cell_id), started_at in started.items():
        if cell_id in shown_ids:
            _mark_running(students, student_pk, names[student_pk], cell_id, iso(started_at))
    snapshot["students"] = sorted(students.values(), key=lambda s: s["userId"])
    snapshot["ownCells"] = own_cells
    return snapshot


async def _started_runs(
    conn: Any, notebook_id: int, scope: Scope, *, window: timedelta = RUNNING_WINDOW
) -> dict[tuple[int, str], datetime]:
    """The latest start of each student's cells in the last `window` (a run's result may
    still be coming)."""
    since = datetime.now(UTC) - window
    rows = await conn.execute(
        select(NotebookEvent.student_id, NotebookEvent.cell_id, func.max(NotebookEvent.event_time))
        .where(
            NotebookEvent.notebook_id == notebook_id,
            NotebookEvent.event_type == EventType.CELL_STARTED.value,
            NotebookEvent.event_time >= since,
            NotebookEvent.cell_id.is_not(None),
            in_scope(scope, NotebookEvent.course_id, NotebookEvent.student_id),
        )
        .group_by(NotebookEvent.student_id, NotebookEvent.cell_id)
    )
    return {(student, cell): utc(at) for student, cell, at in rows}


async def _latest_runs(
    conn: Any, notebook_id: int, cursor_id: int, visible: Any, *, errors_only: bool = False
) -> dict[tuple[int, int], dict[str, Any]]:
    """The latest run (or latest failed run) of each visible student on each cell, up to a row."""
    conditions = [
        CellExecution.notebook_id == notebook_id,
        CellExecution.id <= cursor_id,
        visible,
    ]
    if errors_only:
        conditions.append(CellExecution.has_error.is_(True))
    ranked = (
        select(
            CellExecution.student_id,
            CellExecution.cell_pk,
            CellExecution.has_error,
            CellExecution.error_message,
            CellExecution.execution_count,
            CellExecution.cell_index,
            CellExecution.cell_type,
            func.row_number()
            .over(
                partition_by=(CellExecution.student_id, CellExecution.cell_pk),
                order_by=(CellExecution.event_time.desc(), CellExecution.id.desc()),
            )
            .label("rank"),
        )
        .where(and_(*conditions))
        .subquery()
    )
    rows = (await conn.execute(select(ranked).where(ranked.c.rank == 1))).mappings().all()
    return {(row["student_id"], row["cell_pk"]): dict(row) for row in rows}


async def cursor(engine: AsyncEngine) -> tuple[int, str | None]:
    """The newest stored execution: its row id bounds a snapshot, its eventId resumes it."""
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                select(CellExecution.id, CellExecution.event_id)
                .order_by(CellExecution.id.desc())
                .limit(1)
            )
        ).first()
    return (row[0], row[1]) if row else (0, None)


def _mark_running(
    students: dict[int, dict[str, Any]], student_pk: int, name: str, cell_id: str, at: str
) -> None:
    """Show a cell as running when its latest start is newer than its latest result."""
    student = students.setdefault(
        student_pk, {"userId": name, "lastActivity": None, "currentCellId": None, "cells": {}}
    )
    cell = student["cells"].get(cell_id)
    if cell is not None and cell["lastActivity"] is not None and cell["lastActivity"] >= at:
        return
    if cell is None:
        cell = student["cells"][cell_id] = {
            "attempts": 0,
            "errors": 0,
            "lastError": None,
            "executionCount": None,
        }
    cell["status"] = "running"
    cell["lastActivity"] = at
    if student["lastActivity"] is None or at > student["lastActivity"]:
        student["lastActivity"] = at
        student["currentCellId"] = cell_id
