"""Batched, idempotent writes of events to the relational store."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ..events import Event, EventType
from ..events.model import cell_of
from .bulk import insert_new
from .dialect import is_deadlock
from .ensure import ensure_cells, ensure_notebooks, ensure_students
from .membership import (
    NotebookKey,
    ensure_courses,
    matched_cells,
    member_rows,
    notebook_key,
    upsert_members,
)
from .models import IMPLICIT_COURSE_ID, CellExecution, NotebookEvent
from .state import maintain

# An event is identified by its student and its eventId: a student cannot shadow another's event.
EVENT_KEY = ("student_id", "event_id")
# Two writers inserting overlapping batches (a redelivery while the first consumer still writes)
# can wait on each other's rows; PostgreSQL then rolls one back, which simply writes again.
DEADLOCK_RETRIES = 3


class EventWriter:
    """Writes batches of events in one transaction; an event a student already stored is skipped.

    Rows shared by the class (notebooks, cells) are only ever inserted, never updated: what one
    student's events say about a cell (its index, its type) stays with that student's executions.
    In an assignment a student's event never adds a published cell: it is matched to one by its
    cell id, else by its nbgrader grade id, else it is one of the student's own cells.
    """

    def __init__(self, engine: AsyncEngine, *, cache_size: int = 100_000):
        self.engine = engine
        self.dialect = engine.dialect.name
        # Ids of students, notebooks and cells already stored: a steady class skips the upserts.
        self._students: dict[str, int] = {}
        self._notebooks: dict[NotebookKey, int] = {}
        self._cells: dict[tuple[int, str], int] = {}
        self._courses: set[str] = set()
        self._members: dict[tuple[str, int], tuple[str, str | None]] = {}
        self.cache_size = cache_size

    async def write(self, events: Sequence[Event]) -> list[Event]:
        """Store `events` and return those that were new, in batch order."""
        unique = list({(event.user_id, event.event_id): event for event in events}.values())
        if not unique:
            return []
        for attempt in range(DEADLOCK_RETRIES + 1):
            try:
                new_keys = await self._write(unique)
                break
            except IntegrityError:
                self.forget()  # a cached row was deleted meanwhile: look everything up again
                new_keys = await self._write(unique)
                break
            except DBAPIError as err:
                self.forget()
                if attempt == DEADLOCK_RETRIES or not is_deadlock(err):
                    raise
            except BaseException:
                self.forget()  # ids learnt in a rolled-back transaction must not be reused
                raise
        return [event for event in unique if (event.user_id, event.event_id) in new_keys]

    def forget(self) -> None:
        """Drop the cached ids."""
        self._students.clear()
        self._notebooks.clear()
        self._cells.clear()
        self._courses.clear()
        self._members.clear()

    async def _write(self, unique: list[Event]) -> set[tuple[str, str]]:
        """Store the events; the (user, eventId) pairs that were new."""
        async with self.engine.begin() as conn:
            students = await self._students_of(conn, unique)
            unique = await self._not_stored_as_the_other_kind(conn, students, unique)
            await self._courses_and_members(conn, students, unique)
            notebooks = await self._notebooks_of(conn, unique)
            cells = await self._cells_of(conn, notebooks, unique)
            runs = await self._insert_executions(conn, students, notebooks, cells, unique)
            others = await self._insert_notebook_events(conn, students, notebooks, cells, unique)
            # The read model changes in the same transaction, by exactly the rows inserted.
            starts = [row for row in others.values() if row["cell_pk"] is not None]
            statuses = [row for row in others.values() if row["kernel_status"] is not None]
            await maintain.apply(conn, self.dialect, list(runs.values()), starts, statuses)
            new = runs.keys() | others.keys()
        names = {pk: name for name, pk in students.items()}
        return {(names[student], event_id) for student, event_id in new}

    async def _not_stored_as_the_other_kind(
        self, conn: AsyncConnection, students: dict[str, int], events: list[Event]
    ) -> list[Event]:
        """The events whose (student, eventId) the other table does not hold already.

        Executions and notebook events live in two tables, each unique on (student, eventId);
        an id reused for an event of the other kind is a retry too, and stored once.
        """
        kept = events
        for table, kind in ((NotebookEvent, True), (CellExecution, False)):
            of_kind = [e for e in kept if (e.event_type is EventType.CELL_EXECUTED) is kind]
            if not of_kind:
                continue
            rows = await conn.execute(
                select(table.student_id, table.event_id).where(
                    table.student_id.in_({students[e.user_id] for e in of_kind}),
                    table.event_id.in_({e.event_id for e in of_kind}),
                )
            )
            taken = {tuple(row) for row in rows}
            if taken:
                kept = [e for e in kept if (students[e.user_id], e.event_id) not in taken]
        return kept

    async def _students_of(self, conn: AsyncConnection, events: list[Event]) -> dict[str, int]:
        """Student ids of the events' users (just these: the cache may be far larger)."""
        known = _cached(self._students, {e.user_id for e in events})
        missing = {e.user_id for e in events} - known.keys()
        if missing:
            found = await ensure_students(conn, self.dialect, missing, events)
            known.update(found)
            self._remember(self._students, found)
        return known

    async def _courses_and_members(
        self, conn: AsyncConnection, students: dict[str, int], events: list[Event]
    ) -> None:
        """Create the events' courses, and keep each sender's role and section up to date."""
        courses = {e.course or IMPLICIT_COURSE_ID for e in events} - self._courses
        if courses:
            await ensure_courses(conn, self.dialect, courses, _earliest(events))
            self._courses |= courses
        members = member_rows(events, students)
        changed = {k: v for k, v in members.items() if self._members.get(k) != v}
        if changed:
            await upsert_members(conn, self.dialect, changed)
            self._remember(self._members, changed)

    async def _notebooks_of(
        self, conn: AsyncConnection, events: list[Event]
    ) -> dict[NotebookKey, int]:
        """Notebook ids of the events' notebooks (assignments by id, the others by path).

        An event naming an assignment that is not registered (attribution keeps only registered
        ones; this is for any other writer) is stored by its path instead.
        """
        paths = {notebook_key(e) for e in events}
        known = _cached(self._notebooks, paths)
        missing = paths - known.keys()
        if missing:
            found = await ensure_notebooks(conn, self.dialect, missing, events)
            known.update(found)
            self._remember(self._notebooks, found)
            unknown = missing - found.keys()
            if unknown:
                for event in events:
                    if notebook_key(event) in unknown:
                        event.assignment_id = None
                return await self._notebooks_of(conn, events)
        return known

    async def _cells_of(
        self, conn: AsyncConnection, notebooks: dict[NotebookKey, int], events: list[Event]
    ) -> dict[tuple[int, str], int]:
        """Cell ids of the events' cells; cells seen for the first time are inserted.

        An event of an assignment whose cell id is not published but whose grade id is, is
        keyed by that published cell's id (a copy whose cell ids were regenerated).
        """
        matched = await matched_cells(conn, notebooks, events)
        wanted: dict[tuple[int, str], Event] = {}
        for e in events:
            if (cell := cell_of(e)) is not None:
                key = (notebooks[notebook_key(e)], cell)
                wanted[(key[0], matched.get(key, cell))] = e
        known = _cached(self._cells, wanted.keys())
        missing = {key: e for key, e in wanted.items() if key not in known}
        if missing:
            found = await ensure_cells(conn, self.dialect, missing)
            known.update(found)
            self._remember(self._cells, found)
        originals = {
            (nb, cell): (nb, matched.get((nb, cell), cell))
            for e in events
            if (cell := cell_of(e)) is not None
            for nb in (notebooks[notebook_key(e)],)
        }
        return {key: known[target] for key, target in originals.items()}

    def _remember(self, cache: dict, found: dict) -> None:
        # Bounded: a full cache starts over (callers never rely on it holding what they looked up).
        if len(cache) + len(found) > self.cache_size:
            cache.clear()
        cache.update(found)

    async def _insert_executions(
        self,
        conn: AsyncConnection,
        students: dict[str, int],
        notebooks: dict[NotebookKey, int],
        cells: dict[tuple[int, str], int],
        events: Iterable[Event],
    ) -> dict[tuple[int, str], dict[str, Any]]:
        """Insert the executions; the new ones' rows (with their `id`) by (student, eventId)."""
        rows = []
        for event in events:
            if event.event_type is not EventType.CELL_EXECUTED:
                continue
            notebook_id = notebooks[notebook_key(event)]
            rows.append(
                {
                    "event_id": event.event_id,
                    "student_id": students[event.user_id],
                    "notebook_id": notebook_id,
                    "course_id": event.course or IMPLICIT_COURSE_ID,
                    "cell_pk": cells[(notebook_id, cell_of(event))],
                    "cell_index": event.cell_index,
                    "cell_type": event.cell_type,
                    "code": event.code,
                    "execution_count": event.execution_count,
                    "has_error": event.has_error,
                    "interrupted": event.interrupted,
                    "error_message": event.error_message,
                    "result": event.result,
                    "duration_ms": event.execution_duration_ms,
                    "event_time": event.event_time,
                    "received_at": event.received_at,
                    "metadata": event.metadata,
                }
            )
        return await insert_new(conn, self.dialect, CellExecution.__table__, rows, EVENT_KEY)

    async def _insert_notebook_events(
        self,
        conn: AsyncConnection,
        students: dict[str, int],
        notebooks: dict[NotebookKey, int],
        cells: dict[tuple[int, str], int],
        events: Iterable[Event],
    ) -> dict[tuple[int, str], dict[str, Any]]:
        """Insert the other events; the new ones' rows, each with the `cell_pk` of a cell start."""
        rows = [
            {
                "event_id": event.event_id,
                "event_type": event.event_type.value,
                "student_id": students[event.user_id],
                "notebook_id": notebooks[notebook_key(event)],
                "course_id": event.course or IMPLICIT_COURSE_ID,
                "cell_id": event.cell_id,
                "message": event.message,
                "kernel_status": event.kernel_status,
                "event_time": event.event_time,
                "received_at": event.received_at,
                "metadata": event.metadata,
            }
            for event in events
            if event.event_type is not EventType.CELL_EXECUTED
        ]
        new = await insert_new(conn, self.dialect, NotebookEvent.__table__, rows, EVENT_KEY)
        for row in new.values():
            cell = (row["notebook_id"], row["cell_id"])
            started = row["event_type"] == EventType.CELL_STARTED.value
            row["cell_pk"] = cells.get(cell) if started and row["cell_id"] is not None else None
        return new


def _earliest(events: Sequence[Event]) -> datetime:
    return min(event.received_at for event in events)


def _cached(cache: dict[Any, int], keys: Iterable[Any]) -> dict[Any, int]:
    """The cached ids of `keys` (a copy: a later cache reset cannot take them away)."""
    return {key: cache[key] for key in keys if key in cache}
