"""The runs of a time window in time order, compact, for replaying a past class.

One row per finished run: who, which cell, how it ended and when; no code or output (the
dashboard replays the grid, not the work). Pages are keyset-bounded on (time, row id), so a
class of hundreds replays in a few requests without OFFSET scans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ...courses.scope import Scope
from ...events import NO_CELL
from ..models import Cell, CellExecution, Notebook, Student
from .rows import iso, utc
from .scoping import EVERYTHING, NotebookKey, as_key, in_scope, notebook_is

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# `<µs since the epoch>.<row id>`, ASCII digits only; 18 digits hold any time and any BIGINT id.
CURSOR = re.compile(r"(?P<micros>-?[0-9]{1,18})\.(?P<row>[0-9]{1,18})", re.ASCII)


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the last run's time (µs since the epoch) and row id."""

    micros: int
    row_id: int

    def text(self) -> str:
        """The cursor as the API sends it."""
        return f"{self.micros}.{self.row_id}"

    @classmethod
    def parse(cls, text: str) -> Cursor | None:
        """A cursor read back, `None` when it is not one (or out of any stored range)."""
        match = CURSOR.fullmatch(text)
        if match is None:
            return None
        cursor = cls(int(match["micros"]), int(match["row"]))
        try:
            _from_micros(cursor.micros)
        except OverflowError:  # past the years a datetime can hold: no page ended there
            return None
        return cursor


def run_status(has_error: bool, interrupted: bool) -> str:
    """How a run ended, as stored (an interrupted run is stored as no error: events/model.py)."""
    if interrupted:
        return "interrupted"
    return "failed" if has_error else "succeeded"


async def replay(
    engine: AsyncEngine,
    notebook: str | NotebookKey,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    after: Cursor | None = None,
    limit: int = 5000,
    scope: Scope = EVERYTHING,
) -> dict[str, Any]:
    """One page of the runs in scope of `notebook` within [since, until), oldest first."""
    key = as_key(notebook)
    assert key is not None
    stmt = (
        select(
            CellExecution.id,
            CellExecution.event_time,
            CellExecution.has_error,
            CellExecution.error_message,
            CellExecution.interrupted,
            Student.user_id,
            Cell.cell_id,
        )
        .join(Student, Student.id == CellExecution.student_id)
        .join(Notebook, Notebook.id == CellExecution.notebook_id)
        .join(Cell, Cell.id == CellExecution.cell_pk)
        .where(
            notebook_is(key),
            in_scope(scope, CellExecution.course_id, CellExecution.student_id),
            Cell.cell_id != NO_CELL,
        )
    )
    if since is not None:
        stmt = stmt.where(CellExecution.event_time >= since)
    if until is not None:
        stmt = stmt.where(CellExecution.event_time < until)
    if after is not None:
        at = _from_micros(after.micros)
        stmt = stmt.where(
            or_(
                CellExecution.event_time > at,
                and_(CellExecution.event_time == at, CellExecution.id > after.row_id),
            )
        )
    # One more than a page says whether there is a next one.
    stmt = stmt.order_by(CellExecution.event_time, CellExecution.id).limit(limit + 1)
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    page = rows[:limit]
    runs = [
        {
            "student": row.user_id,
            "cellId": row.cell_id,
            "status": run_status(bool(row.has_error), bool(row.interrupted)),
            "at": iso(row.event_time),
            "errorMessage": row.error_message if row.has_error else None,
        }
        for row in page
    ]
    last = page[-1] if page else None
    more = len(rows) > limit and last is not None
    return {"runs": runs, "next": _cursor(last).text() if more and last else None}


def _cursor(row: Any) -> Cursor:
    at = utc(row.event_time)
    assert at is not None
    delta = at - EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return Cursor(micros, int(row.id))


def _from_micros(micros: int) -> datetime:
    """A cursor's time, aware UTC as the time filters are."""
    return EPOCH + timedelta(microseconds=micros)
