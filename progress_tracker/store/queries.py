"""Read-side queries behind the dashboard APIs."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, Select, and_, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncEngine

from ..events import Event, EventType
from .dialect import epoch_bucket
from .models import Cell, CellExecution, Notebook, NotebookEvent, Student

# A started cell with no result after this long is not shown as running (its kernel died).
RUNNING_WINDOW = timedelta(hours=1)


def utc(value: datetime | None) -> datetime | None:
    """Read a stored time as aware UTC (SQLite hands back naive values)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def iso(value: datetime | None) -> str | None:
    """ISO 8601 text of a stored time."""
    aware = utc(value)
    return aware.isoformat() if aware else None


def _execution_columns() -> Select[Any]:
    return (
        select(
            CellExecution.event_id,
            Student.user_id,
            Notebook.path,
            Cell.cell_id,
            CellExecution.cell_index,
            CellExecution.cell_type,
            CellExecution.code,
            CellExecution.execution_count,
            CellExecution.has_error,
            CellExecution.error_message,
            CellExecution.result,
            CellExecution.duration_ms,
            CellExecution.event_time,
            CellExecution.received_at,
            CellExecution.event_metadata.label("event_metadata"),
        )
        .join(Student, Student.id == CellExecution.student_id)
        .join(Notebook, Notebook.id == CellExecution.notebook_id)
        .join(Cell, Cell.id == CellExecution.cell_pk)
    )


def _filtered(
    stmt: Select[Any],
    notebook: str | None,
    user: str | None,
    since: datetime | None,
    until: datetime | None,
) -> Select[Any]:
    """Executions of a notebook and student within [since, until), each filter optional."""
    if notebook is not None:
        stmt = stmt.where(Notebook.path == notebook)
    if user is not None:
        stmt = stmt.where(Student.user_id == user)
    if since is not None:
        stmt = stmt.where(CellExecution.event_time >= since)
    if until is not None:
        stmt = stmt.where(CellExecution.event_time < until)
    return stmt


def _execution_event(row: Any) -> Event:
    return Event.model_construct(
        event_id=row.event_id,
        event_type=EventType.CELL_EXECUTED,
        event_time=utc(row.event_time),
        user_id=row.user_id,
        notebook_path=row.path,
        cell_id=row.cell_id,
        cell_index=row.cell_index,
        cell_type=row.cell_type,
        code=row.code,
        execution_count=row.execution_count,
        has_error=bool(row.has_error),
        error_message=row.error_message,
        result=row.result,
        execution_duration_ms=row.duration_ms,
        metadata=row.event_metadata,
        received_at=utc(row.received_at),
    )


class ProgressQueries:
    """Queries over the relational store for the instructor dashboard."""

    def __init__(self, engine: AsyncEngine):
        self.engine = engine
        self.dialect = engine.dialect.name

    async def notebooks(self) -> list[dict[str, Any]]:
        """Every notebook with its student count, execution count and last activity."""
        stmt = (
            select(
                Notebook.path,
                func.count(func.distinct(CellExecution.student_id)),
                func.count(CellExecution.id),
                func.max(CellExecution.event_time),
            )
            .join(CellExecution, CellExecution.notebook_id == Notebook.id, isouter=True)
            .group_by(Notebook.id, Notebook.path)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        listed = [
            {
                "path": path,
                "students": students,
                "executions": executions,
                "lastActivity": iso(last),
            }
            for path, students, executions, last in rows
        ]
        listed.sort(key=lambda nb: (nb["lastActivity"] or "", nb["path"]), reverse=True)
        return listed

    async def progress(self, notebook: str | None) -> dict[str, Any]:
        """The dashboard snapshot: per student and cell, status, attempts, errors, last error."""
        notebooks = await self.notebooks()
        if notebook is None and notebooks:
            notebook = notebooks[0]["path"]
        cursor_id, cursor_event = await self._cursor()
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
        async with self.engine.connect() as conn:
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
            latest = await self._latest_runs(conn, notebook_id, cursor_id)
            last_errors = await self._latest_runs(conn, notebook_id, cursor_id, errors_only=True)
            started = await self._started_runs(conn, notebook_id)
            student_rows = await conn.execute(
                select(Student.id, Student.user_id).where(
                    Student.id.in_({r[0] for r in totals} | {student for student, _ in started})
                )
            )
            names = {row.id: row.user_id for row in student_rows}
        cell_ids = {pk: cell_id for pk, cell_id, _, _ in cells}
        snapshot["cells"] = [
            {"cellId": cell_id, "cellIndex": index, "cellType": cell_type}
            for _, cell_id, index, cell_type in cells
        ]
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
        self, conn: Any, notebook_id: int, *, window: timedelta = RUNNING_WINDOW
    ) -> dict[tuple[int, str], datetime]:
        """The latest start of each student's cells in the last `window` (a run's result may
        still be coming)."""
        since = datetime.now(UTC) - window
        rows = await conn.execute(
            select(
                NotebookEvent.student_id, NotebookEvent.cell_id, func.max(NotebookEvent.event_time)
            )
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
        self, conn: Any, notebook_id: int, cursor_id: int, *, errors_only: bool = False
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

    async def _cursor(self) -> tuple[int, str | None]:
        """The newest stored execution: its row id bounds a snapshot, its eventId resumes it."""
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(CellExecution.id, CellExecution.event_id)
                    .order_by(CellExecution.id.desc())
                    .limit(1)
                )
            ).first()
        return (row[0], row[1]) if row else (0, None)

    async def last_event_id(self) -> str | None:
        """The eventId most recently stored (a cursor for the live feed)."""
        return (await self._cursor())[1]

    async def executions(
        self,
        notebook: str | None = None,
        *,
        user: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 1000,
    ) -> list[Event]:
        """Stored cell executions, oldest first, filtered by notebook, student and time."""
        stmt = _filtered(_execution_columns(), notebook, user, since, until)
        stmt = stmt.order_by(CellExecution.event_time.desc(), CellExecution.id.desc()).limit(limit)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return [_execution_event(row) for row in reversed(rows)]

    async def stream_executions(
        self,
        notebook: str | None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        chunk: int = 2000,
    ) -> AsyncIterator[Event]:
        """Every matching execution, oldest first, read in chunks (for exports)."""
        columns = _execution_columns().add_columns(CellExecution.id.label("row_id"))
        stmt = _filtered(columns, notebook, None, since, until)
        last_id = 0
        while True:
            page = stmt.where(CellExecution.id > last_id).order_by(CellExecution.id).limit(chunk)
            async with self.engine.connect() as conn:
                rows = (await conn.execute(page)).all()
            for row in rows:
                yield _execution_event(row)
            if len(rows) < chunk:
                return
            last_id = rows[-1].row_id

    async def events_since(self, event_id: str, *, margin_s: float = 60, limit: int = 10_000):
        """Executions received since `event_id` (minus a margin for out-of-order commits).

        Returns (events, complete): None when `event_id` is unknown; complete is False when
        more than `limit` events would be replayed (the client should reload its snapshot).
        """
        async with self.engine.connect() as conn:
            anchor = await conn.scalar(
                union_all(
                    select(CellExecution.received_at).where(CellExecution.event_id == event_id),
                    select(NotebookEvent.received_at).where(NotebookEvent.event_id == event_id),
                ).limit(1)
            )
            if anchor is None:
                return None, False
            start = utc(anchor) - timedelta(seconds=margin_s)
            # Rows of the margin before the anchor are replayed too but do not count to `limit`.
            before = await conn.scalar(
                select(func.count())
                .select_from(CellExecution)
                .where(CellExecution.received_at >= start, CellExecution.received_at <= anchor)
            )
            budget = limit + int(before or 0)
            rows = (
                await conn.execute(
                    _execution_columns()
                    .where(CellExecution.received_at >= start)
                    .order_by(CellExecution.received_at, CellExecution.id)
                    .limit(budget + 1)
                )
            ).all()
        return [_execution_event(row) for row in rows[:budget]], len(rows) <= budget

    async def errors(self, notebook: str, *, per_cell: int = 10) -> list[dict[str, Any]]:
        """Distinct errors of each cell, most widespread first, with an example."""
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
            .where(Notebook.path == notebook, CellExecution.has_error.is_(True))
            .group_by(Cell.cell_id, Cell.cell_index, CellExecution.error_message)
        )
        async with self.engine.connect() as conn:
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

    async def pace(self, notebook: str, *, bucket_s: int = 60) -> list[dict[str, Any]]:
        """Executions, errors and active students per time bucket, and the class's progress."""
        bucket = epoch_bucket(self.dialect, CellExecution.event_time, bucket_s).label("bucket")
        in_notebook = CellExecution.notebook_id == (
            select(Notebook.id).where(Notebook.path == notebook).scalar_subquery()
        )
        activity = (
            select(
                bucket,
                func.count(),
                func.sum(CellExecution.has_error.cast(Integer)),
                func.count(func.distinct(CellExecution.student_id)),
            )
            .where(in_notebook)
            .group_by(bucket)
            .order_by(bucket)
        )
        first_success = (
            select(
                CellExecution.student_id,
                func.min(epoch_bucket(self.dialect, CellExecution.event_time, bucket_s)),
            )
            .where(in_notebook, CellExecution.has_error.is_(False))
            .group_by(CellExecution.student_id, CellExecution.cell_pk)
        )
        async with self.engine.connect() as conn:
            buckets = (await conn.execute(activity)).all()
            completions = (await conn.execute(first_success)).all()
        return _pace_series(buckets, completions, bucket_s)


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


def _pace_series(buckets: list[Any], completions: list[Any], bucket_s: int) -> list[dict[str, Any]]:
    """Merge per-bucket activity with each student's cumulative count of cells completed."""
    completed_at: dict[int, list[int]] = defaultdict(list)
    for student, at in completions:
        completed_at[student].append(int(at))
    series = []
    for start, executions, errors, active in buckets:
        end = int(start) + bucket_s
        done = [sum(1 for at in times if at < end) for times in completed_at.values()]
        series.append(
            {
                "time": datetime.fromtimestamp(int(start), UTC).isoformat(),
                "executions": executions,
                "errors": int(errors or 0),
                "activeStudents": active,
                "cellsCompletedMedian": statistics.median(done) if done else 0,
            }
        )
    return series
