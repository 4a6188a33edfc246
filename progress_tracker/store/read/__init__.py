"""The read side of the store, split by job; `ProgressQueries` is what handlers hold."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from ...events import Event
from . import error_groups, history, pace, snapshot
from .snapshot import Snapshot


class ProgressQueries:
    """The dashboard's queries over one engine (each delegates to the module of its job)."""

    def __init__(self, engine: AsyncEngine):
        self.engine = engine

    async def notebooks(self) -> list[dict[str, Any]]:
        """Every notebook with its student count, execution count and last activity."""
        return await snapshot.notebook_list(self.engine)

    async def progress(
        self, notebook: str | None, *, students: Collection[int] | None = None
    ) -> dict[str, Any]:
        """The dashboard snapshot of `notebook` (default: the most recently active one)."""
        return await snapshot.progress(self.engine, notebook, students=students)

    async def compact_snapshot(
        self, notebook: str | None, *, students: Collection[int] | None = None
    ) -> Snapshot:
        """The snapshot to send in the compact form (see `compact.py`)."""
        return await snapshot.read_snapshot(self.engine, notebook, students=students, compact=True)

    async def executions(self, notebook: str | None = None, **filters: Any) -> list[Event]:
        """Stored executions, oldest first (`user`, `since`, `until`, `limit`)."""
        return await history.executions(self.engine, notebook, **filters)

    def stream_executions(
        self, notebook: str | None, *, since: datetime | None = None, until: datetime | None = None
    ) -> AsyncIterator[Event]:
        """Every matching execution, oldest first, read in chunks (for exports)."""
        return history.stream_executions(self.engine, notebook, since=since, until=until)

    async def errors(self, notebook: str) -> list[dict[str, Any]]:
        """Distinct errors of each cell of `notebook`."""
        return await error_groups.errors(self.engine, notebook)

    async def pace(self, notebook: str, *, bucket_s: int = 60) -> list[dict[str, Any]]:
        """Activity per time bucket of `notebook`."""
        return await pace.pace(self.engine, notebook, bucket_s=bucket_s)
