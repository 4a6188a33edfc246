"""Batched, idempotent writes of events to the relational store."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ..events import Event
from ..events.model import cell_of
from ..help.hands import apply_hands
from .bulk import insert_new
from .dialect import is_deadlock, is_stale_reference
from .ensure import ensure_cells, ensure_notebooks, ensure_students
from .event_kinds import not_stored_as_the_other_kind
from .event_rows import RowIds, execution_rows, mark_cell_starts, notebook_event_rows
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
from .state.presence import apply_presence

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
        # What the current transaction learnt, cached only once it commits: a refused batch
        # (bad data) leaves the cache as it was, so the class's next batches stay warm.
        self._learnt: list[tuple[dict, dict]] = []
        self._learnt_courses: set[str] = set()

    async def write(self, events: Sequence[Event]) -> list[Event]:
        """Store `events` and return those that were new, in batch order."""
        unique = list({(event.user_id, event.event_id): event for event in events}.values())
        if not unique:
            return []
        for attempt in range(DEADLOCK_RETRIES + 1):
            try:
                new_keys = await self._write(unique)
                break
            except IntegrityError as err:
                if not is_stale_reference(err):
                    raise  # the data itself is refused (a constraint): no cache is at fault
                self.forget()  # a cached row was deleted meanwhile: look everything up again
                new_keys = await self._write(unique)
                break
            except DBAPIError as err:
                self.forget()
                if attempt == DEADLOCK_RETRIES or not is_deadlock(err):
                    raise
            finally:
                self._learnt.clear()  # ids learnt in a rolled-back transaction are never reused
                self._learnt_courses.clear()
        return [event for event in unique if (event.user_id, event.event_id) in new_keys]

    def forget(self) -> None:
        """Drop the cached ids."""
        self._students.clear()
        self._notebooks.clear()
        self._cells.clear()
        self._courses.clear()
        self._members.clear()

    async def write_each(
        self, events: Sequence[Event], refused: Callable[[DBAPIError], bool]
    ) -> list[DBAPIError | None]:
        """Store each event on its own: per event, None once stored, else the error for which
        the database refused it (when `refused` says the error is about the data).

        On PostgreSQL each event is a savepoint of one transaction: finding the bad events of a
        refused batch costs one transaction, not one per event (poison must not slow the class).
        """
        if self.dialect != "postgresql":
            return [await self._alone(event, refused) for event in events]
        outcome: list[DBAPIError | None] = []
        self._learnt, self._learnt_courses = [], set()
        try:
            async with self.engine.begin() as conn:
                for event in events:
                    learnt, courses = len(self._learnt), set(self._learnt_courses)
                    try:
                        async with conn.begin_nested():
                            await self._write_in(conn, [event])
                        outcome.append(None)
                    except DBAPIError as err:
                        if is_stale_reference(err) or not refused(err):
                            raise
                        del self._learnt[learnt:]  # learnt in the rolled-back savepoint
                        self._learnt_courses = courses
                        outcome.append(err)
            self._commit_learnt()
        except BaseException:
            self.forget()  # a stale cached id may be why: the caller writes again
            raise
        finally:
            self._learnt, self._learnt_courses = [], set()
        return outcome

    async def _alone(
        self, event: Event, refused: Callable[[DBAPIError], bool]
    ) -> DBAPIError | None:
        try:
            await self.write([event])
        except DBAPIError as err:
            if not refused(err):
                raise
            return err
        return None

    async def _write(self, unique: list[Event]) -> set[tuple[str, str]]:
        """Store the events in one transaction; the (user, eventId) pairs that were new."""
        self._learnt, self._learnt_courses = [], set()
        async with self.engine.begin() as conn:
            new = await self._write_in(conn, unique)
        self._commit_learnt()
        return new

    def _commit_learnt(self) -> None:
        for cache, found in self._learnt:
            self._cache(cache, found)
        self._courses |= self._learnt_courses

    async def _write_in(self, conn: AsyncConnection, unique: list[Event]) -> set[tuple[str, str]]:
        """Store the events in the transaction of `conn`."""
        students = await self._students_of(conn, unique)
        unique = await not_stored_as_the_other_kind(conn, self.dialect, students, unique)
        await self._courses_and_members(conn, students, unique)
        notebooks = await self._notebooks_of(conn, unique)
        cells = await self._cells_of(conn, notebooks, unique)
        ids = RowIds(students, notebooks, cells)
        runs = await insert_new(
            conn, self.dialect, CellExecution.__table__, execution_rows(ids, unique), EVENT_KEY
        )
        others = await insert_new(
            conn, self.dialect, NotebookEvent.__table__, notebook_event_rows(ids, unique), EVENT_KEY
        )
        mark_cell_starts(ids, others.values())
        # The read model changes in the same transaction, by exactly the rows inserted.
        starts = [row for row in others.values() if row["cell_pk"] is not None]
        statuses = [row for row in others.values() if row["kernel_status"] is not None]
        await maintain.apply(conn, self.dialect, list(runs.values()), starts, statuses)
        await apply_presence(conn, self.dialect, others.values())
        await apply_hands(conn, others.values())  # raised hands: the help queue
        new = runs.keys() | others.keys()
        names = {pk: name for name, pk in students.items()}
        return {(names[student], event_id) for student, event_id in new}

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
            self._learnt_courses |= courses
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
        """Cache `found` in `cache` once the transaction that learnt it commits."""
        self._learnt.append((cache, found))

    def _cache(self, cache: dict, found: dict) -> None:
        # Bounded: a full cache starts over (callers never rely on it holding what they looked up).
        if len(cache) + len(found) > self.cache_size:
            cache.clear()
        cache.update(found)


def _earliest(events: Sequence[Event]) -> datetime:
    return min(event.received_at for event in events)


def _cached(cache: dict[Any, int], keys: Iterable[Any]) -> dict[Any, int]:
    """The cached ids of `keys` (a copy: a later cache reset cannot take them away)."""
    return {key: cache[key] for key in keys if key in cache}
