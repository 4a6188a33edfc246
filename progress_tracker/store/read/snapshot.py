"""The dashboard's snapshot: per student and cell, the status, attempts, errors and last error."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ...events import EventType
from ..models import Cell, CellExecution, Notebook, NotebookEvent, Student
from .rows import iso, utc

# A started cell with no result after this long is not shown as running (its kernel died).
RUNNING_WINDOW = timedelta(hours=1)
# Students who ran a cell of a notebook this recently are its active students.
ACTIVE_WINDOW = timedelta(hours=1)


async def notebook_list(engine: AsyncEngine) -> list[dict[str, Any]]:
    """Every notebook with its student counts, execution count and last activity.

    Most active first: by students active in the last hour, then by when the server last
    received one of its executions. Only the server's clock counts (a client's eventTime could
    say anything), and one student alone cannot outrank a class.
    """
    since = datetime.now(UTC) - ACTIVE_WINDOW
    recent_student = case((CellExecution.received_at >= since, CellExecution.student_id))
    stmt = (
        select(
            Notebook.path,
            func.count(func.distinct(CellExecution.student_id)),
            func.count(func.distinct(recent_student)),
            func.count(CellExecution.id),
            func.max(CellExecution.received_at),
        )
        .join(CellExecution, CellExecution.notebook_id == Notebook.id, isouter=True)
        .group_by(Notebook.id, Notebook.path)
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    listed = [
        {
            "path": path,
            "students": students,
            "activeStudents": active,
            "executions": executions,
            "lastActivity": iso(last),
        }
        for path, students, active, executions, last in rows
    ]
    listed.sort(
        key=lambda nb: (nb["activeStudents"], nb["lastActivity"] or "", nb["path"]), reverse=True
    )
    return listed


async def progress(engine: AsyncEngine, notebook: str | None) -> dict[str, Any]:
    """The dashboard snapshot: per student and cell, status, attempts, errors, last error."""
    notebooks = await notebook_list(engine)
    if notebook is None and notebooks:
        notebook = notebooks[0]["path"]
    cursor_id, cursor_event = await cursor(engine)
    snapshot: dict[str, Any] = {
        "notebooks": notebooks,
        "notebook": notebook,
        "cells": [],
        "students": [],
        "lastEventId": cursor_event,
        "generatedAt": datetime.now(UTC).isoformat(),
    }
    if notebook is None:
        return snapshot
    async with engine.connect() as conn:
        notebook_id = await conn.scalar(select(Notebook.id).where(Notebook.path == notebook))
        if notebook_id is None:
            return snapshot
        cells = (
            await conn.execute(
                select(Cell.id, Cell.cell_id, Cell.cell_index, Cell.cell_type)
                .where(Cell.notebook_id == notebook_id)
                .order_by(Cell.cell_index.is_(None), Cell.cell_index, Cell.id)
            )
        ).all()
        totals = (
            await conn.execute(
                select(
                    CellExecution.student_id,
                    CellExecution.cell_pk,
                    func.count(),
                    func.sum(CellExecution.has_error.cast(Integer)),
                    func.max(CellExecution.event_time),
                )
                .where(CellExecution.notebook_id == notebook_id, CellExecution.id <= cursor_id)
                .group_by(CellExecution.student_id, CellExecution.cell_pk)
            )
        ).all()
        latest = await _latest_runs(conn, notebook_id, cursor_id)
        last_errors = await _latest_runs(conn, notebook_id, cursor_id, errors_only=True)
        started = await _started_runs(conn, notebook_id)
        student_rows = await conn.execute(
            select(Student.id, Student.user_id).where(
                Student.id.in_({r[0] for r in totals} | {student for student, _ in started})
            )
        )
        names = {row.id: row.user_id for row in student_rows}
    cell_ids = {pk: cell_id for pk, cell_id, _, _ in cells}
    snapshot["cells"] = class_cells(cells, latest.values())
    students: dict[int, dict[str, Any]] = {}
    for student_pk, cell_pk, attempts, errors, last in totals:
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
    for (student_pk, cell_id), started_at in started.items():
        _mark_running(students, student_pk, names[student_pk], cell_id, iso(started_at))
    snapshot["students"] = sorted(students.values(), key=lambda s: s["userId"])
    return snapshot


async def _started_runs(
    conn: Any, notebook_id: int, *, window: timedelta = RUNNING_WINDOW
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
        )
        .group_by(NotebookEvent.student_id, NotebookEvent.cell_id)
    )
    return {(student, cell): utc(at) for student, cell, at in rows}


async def _latest_runs(
    conn: Any, notebook_id: int, cursor_id: int, *, errors_only: bool = False
) -> dict[tuple[int, int], dict[str, Any]]:
    """The latest run (or latest failed run) of each student on each cell, up to a row."""
    conditions = [CellExecution.notebook_id == notebook_id, CellExecution.id <= cursor_id]
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


def class_cells(cells: list[Any], latest_runs: Any) -> list[dict[str, Any]]:
    """The notebook's cells in the order and with the type most of the class reports.

    Each student's latest run says where the cell is in their copy; the median position (and the
    most common type) wins, so one student cannot reorder or retype everybody's columns. Cells
    nobody ran yet keep what their first event said.
    """
    positions: dict[int, list[int]] = defaultdict(list)
    types: dict[int, Counter[str]] = defaultdict(Counter)
    for run in latest_runs:
        if run["cell_index"] is not None:
            positions[run["cell_pk"]].append(run["cell_index"])
        if run["cell_type"] is not None:
            types[run["cell_pk"]][run["cell_type"]] += 1
    listed = []
    for order, (pk, cell_id, first_index, first_type) in enumerate(cells):
        index = statistics.median_low(positions[pk]) if positions[pk] else first_index
        kind = types[pk].most_common(1)[0][0] if types[pk] else first_type
        listed.append(((index is None, index or 0, order), cell_id, index, kind))
    listed.sort(key=lambda cell: cell[0])
    return [
        {"cellId": cell_id, "cellIndex": index, "cellType": kind}
        for _, cell_id, index, kind in listed
    ]


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
