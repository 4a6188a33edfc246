"""The read side of the store, split by job; `ProgressQueries` is what handlers hold.

Every query takes the caller's `Scope` (default: everything, for the store's own uses) and an
exercise given by its path (an unpublished notebook) or its key (`scoping.NotebookKey`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from ...courses.scope import Scope
from ...events import Event
from . import assignments, drilldown, error_groups, history, listing, pace, snapshot
from .scoping import EVERYTHING, NotebookKey
from .snapshot import Snapshot

Exercise = str | NotebookKey


class ProgressQueries:
    """The dashboard's queries over one engine (each delegates to the module of its job)."""

    def __init__(self, engine: AsyncEngine):
        self.engine = engine

    async def notebooks(self, scope: Scope = EVERYTHING) -> list[dict[str, Any]]:
        """Every exercise in scope with its student count, execution count and last activity."""
        return await listing.notebook_list(self.engine, scope)

    async def progress(
        self, notebook: Exercise | None, scope: Scope = EVERYTHING, *, heartbeat_s: float = 60
    ) -> dict[str, Any]:
        """The dashboard snapshot of `notebook` (default: the most recently active one)."""
        return await snapshot.progress(self.engine, notebook, scope, heartbeat_s=heartbeat_s)

    async def compact_snapshot(
        self, notebook: Exercise | None, scope: Scope = EVERYTHING, *, heartbeat_s: float = 60
    ) -> Snapshot:
        """The snapshot to send in the compact form (see `compact.py`)."""
        return await snapshot.read_snapshot(
            self.engine, notebook, scope, heartbeat_s=heartbeat_s, compact=True
        )

    async def executions(
        self, notebook: Exercise | None = None, scope: Scope = EVERYTHING, **filters: Any
    ) -> list[Event]:
        """Stored executions, oldest first (`user`, `since`, `until`, `limit`)."""
        return await history.executions(self.engine, notebook, scope=scope, **filters)

    def stream_executions(
        self,
        notebook: Exercise | None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        scope: Scope = EVERYTHING,
    ) -> AsyncIterator[Event]:
        """Every matching execution, oldest first, read in chunks (for exports)."""
        return history.stream_executions(
            self.engine, notebook, since=since, until=until, scope=scope
        )

    async def errors(
        self,
        notebook: Exercise,
        scope: Scope = EVERYTHING,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[dict[str, Any]]:
        """Distinct errors of each cell of `notebook` (of the runs within [since, until))."""
        return await error_groups.errors(
            self.engine, notebook, scope=scope, since=since, until=until
        )

    async def cell_latest(
        self, notebook: Exercise, cell_id: str, scope: Scope, *, idle_cutoff: timedelta
    ) -> dict[str, Any]:
        """Every student's latest attempt at one cell, with their struggle signals."""
        key = ("", notebook) if isinstance(notebook, str) else notebook
        return await drilldown.latest_attempts(
            self.engine, key, cell_id, scope, idle_cutoff=idle_cutoff
        )

    async def pace(
        self, notebook: Exercise, *, bucket_s: int = 60, scope: Scope = EVERYTHING
    ) -> list[dict[str, Any]]:
        """Activity per time bucket of `notebook`."""
        return await pace.pace(self.engine, notebook, bucket_s=bucket_s, scope=scope)

    async def assignments(
        self, scope: Scope = EVERYTHING, course: str | None = None
    ) -> list[dict[str, Any]]:
        """The assignments of the courses in scope, with their cell and student counts."""
        return await assignments.assignment_list(self.engine, scope.narrowed(course))

    async def assignment(
        self, assignment_id: str, scope: Scope = EVERYTHING
    ) -> dict[str, Any] | None:
        """One assignment in scope with its published cells; None when there is none."""
        return await assignments.assignment_detail(self.engine, assignment_id, scope)

    async def course_ids(self) -> list[str]:
        """Every stored course."""
        return await assignments.course_ids(self.engine)

    async def course_sections(self, courses: list[str]) -> dict[str, list[str]]:
        """The sections members of each course are in."""
        return await assignments.course_sections(self.engine, courses)
