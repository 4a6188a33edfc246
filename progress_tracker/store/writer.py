"""Batched, idempotent writes of events to the relational store."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ..events import Event, EventType
from .bulk import COPY_THRESHOLD, copy_insert_new
from .dialect import insert_for
from .models import Cell, CellExecution, Notebook, NotebookEvent, Student


class EventWriter:
    """Writes batches of events in one transaction; an eventId already stored is skipped."""

    def __init__(self, engine: AsyncEngine, *, cache_size: int = 100_000):
        self.engine = engine
        self.dialect = engine.dialect.name
        # Ids of students, notebooks and cells already stored: a steady class skips the upserts.
        self._students: dict[str, int] = {}
        self._notebooks: dict[str, int] = {}
        self._cells: dict[tuple[int, str], tuple[int, int | None, str | None]] = {}
        self.cache_size = cache_size

    async def write(self, events: Sequence[Event]) -> list[Event]:
        """Store `events` and return those that were new, in batch order."""
        unique = list({event.event_id: event for event in events}.values())
        if not unique:
            return []
        try:
            new_ids = await self._write(unique)
        except IntegrityError:
            self.forget()  # a cached row was deleted meanwhile: look everything up again
            new_ids = await self._write(unique)
        except BaseException:
            self.forget()  # ids learnt in a rolled-back transaction must not be reused
            raise
        return [event for event in unique if event.event_id in new_ids]

    def forget(self) -> None:
        """Drop the cached ids."""
        self._students.clear()
        self._notebooks.clear()
        self._cells.clear()

    async def _write(self, unique: list[Event]) -> set[str]:
        async with self.engine.begin() as conn:
            students = await self._students_of(conn, unique)
            notebooks = await self._notebooks_of(conn, unique)
            cells = await self._cells_of(conn, notebooks, unique)
            new_ids = await self._insert_executions(conn, students, notebooks, cells, unique)
            new_ids |= await self._insert_notebook_events(conn, students, notebooks, unique)
        return new_ids

    async def _students_of(self, conn: AsyncConnection, events: list[Event]) -> dict[str, int]:
        missing = {e.user_id for e in events} - self._students.keys()
        if missing:
            self._remember(self._students, await self._ensure_students(conn, missing, events))
        return self._students

    async def _notebooks_of(self, conn: AsyncConnection, events: list[Event]) -> dict[str, int]:
        missing = {e.notebook_path for e in events} - self._notebooks.keys()
        if missing:
            self._remember(self._notebooks, await self._ensure_notebooks(conn, missing, events))
        return self._notebooks

    async def _cells_of(
        self, conn: AsyncConnection, notebooks: dict[str, int], events: list[Event]
    ) -> dict[tuple[int, str], int]:
        """Cell ids; cells that are new or moved (index or type changed) are upserted."""
        changed = [
            e
            for e in events
            if e.cell_id is not None
            and self._cells.get((notebooks[e.notebook_path], e.cell_id), (0, None, None))[1:]
            != (e.cell_index, e.cell_type)
        ]
        if changed:
            ids = await self._ensure_cells(conn, notebooks, changed)
            latest = {(notebooks[e.notebook_path], e.cell_id): e for e in changed}
            self._remember(
                self._cells,
                {
                    key: (pk, latest[key].cell_index, latest[key].cell_type)
                    for key, pk in ids.items()
                },
            )
        needed = {(notebooks[e.notebook_path], e.cell_id) for e in events if e.cell_id}
        return {key: self._cells[key][0] for key in needed}

    def _remember(self, cache: dict, found: dict) -> None:
        if len(cache) + len(found) > self.cache_size:
            cache.clear()
        cache.update(found)

    async def _ensure_students(
        self, conn: AsyncConnection, names: set[str], events: Sequence[Event]
    ) -> dict[str, int]:
        created = _earliest(events)
        stmt = insert_for(self.dialect, Student).on_conflict_do_nothing(index_elements=["user_id"])
        await conn.execute(stmt, [{"user_id": name, "created_at": created} for name in names])
        rows = await conn.execute(
            select(Student.user_id, Student.id).where(Student.user_id.in_(names))
        )
        return {key: pk for key, pk in rows}

    async def _ensure_notebooks(
        self, conn: AsyncConnection, paths: set[str], events: Sequence[Event]
    ) -> dict[str, int]:
        created = _earliest(events)
        stmt = insert_for(self.dialect, Notebook).on_conflict_do_nothing(index_elements=["path"])
        await conn.execute(stmt, [{"path": path, "created_at": created} for path in paths])
        rows = await conn.execute(
            select(Notebook.path, Notebook.id).where(Notebook.path.in_(paths))
        )
        return {key: pk for key, pk in rows}

    async def _ensure_cells(
        self, conn: AsyncConnection, notebooks: dict[str, int], events: Sequence[Event]
    ) -> dict[tuple[int, str], int]:
        latest: dict[tuple[int, str], Event] = {}
        for event in events:
            if event.cell_id is not None:
                latest[(notebooks[event.notebook_path], event.cell_id)] = event
        if not latest:
            return {}
        insert = insert_for(self.dialect, Cell)
        stmt = insert.on_conflict_do_update(
            index_elements=["notebook_id", "cell_id"],
            set_={"cell_index": insert.excluded.cell_index, "cell_type": insert.excluded.cell_type},
        )
        await conn.execute(
            stmt,
            [
                {
                    "notebook_id": notebook_id,
                    "cell_id": cell_id,
                    "cell_index": event.cell_index,
                    "cell_type": event.cell_type,
                }
                for (notebook_id, cell_id), event in latest.items()
            ],
        )
        notebook_ids = {notebook_id for notebook_id, _ in latest}
        rows = await conn.execute(
            select(Cell.notebook_id, Cell.cell_id, Cell.id).where(
                Cell.notebook_id.in_(notebook_ids), Cell.cell_id.in_({c for _, c in latest})
            )
        )
        return {(nb, cell): pk for nb, cell, pk in rows}

    async def _insert_executions(
        self,
        conn: AsyncConnection,
        students: dict[str, int],
        notebooks: dict[str, int],
        cells: dict[tuple[int, str], int],
        events: Iterable[Event],
    ) -> set[str]:
        rows = []
        for event in events:
            if event.event_type is not EventType.CELL_EXECUTED:
                continue
            notebook_id = notebooks[event.notebook_path]
            rows.append(
                {
                    "event_id": event.event_id,
                    "student_id": students[event.user_id],
                    "notebook_id": notebook_id,
                    "cell_pk": cells[(notebook_id, event.cell_id)],
                    "cell_index": event.cell_index,
                    "cell_type": event.cell_type,
                    "code": event.code,
                    "execution_count": event.execution_count,
                    "has_error": event.has_error,
                    "error_message": event.error_message,
                    "result": event.result,
                    "duration_ms": event.execution_duration_ms,
                    "event_time": event.event_time,
                    "received_at": event.received_at,
                    "metadata": event.metadata,
                }
            )
        if not rows:
            return set()
        return await self._insert_new(conn, CellExecution.__table__, rows)

    async def _insert_notebook_events(
        self,
        conn: AsyncConnection,
        students: dict[str, int],
        notebooks: dict[str, int],
        events: Iterable[Event],
    ) -> set[str]:
        rows = [
            {
                "event_id": event.event_id,
                "event_type": event.event_type.value,
                "student_id": students[event.user_id],
                "notebook_id": notebooks[event.notebook_path],
                "cell_id": event.cell_id,
                "event_time": event.event_time,
                "received_at": event.received_at,
                "metadata": event.metadata,
            }
            for event in events
            if event.event_type is not EventType.CELL_EXECUTED
        ]
        if not rows:
            return set()
        return await self._insert_new(conn, NotebookEvent.__table__, rows)

    async def _insert_new(
        self, conn: AsyncConnection, table: Table, rows: list[dict[str, Any]]
    ) -> set[str]:
        """Insert rows whose event_id is new; return those event ids."""
        if self.dialect == "postgresql" and len(rows) >= COPY_THRESHOLD:
            return await copy_insert_new(conn, table, rows, "event_id")
        stmt = (
            insert_for(self.dialect, table)
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(table.c.event_id)
        )
        result = await conn.execute(stmt, rows)
        return set(result.scalars().all())


def _earliest(events: Sequence[Event]) -> datetime:
    return min(event.received_at for event in events)
