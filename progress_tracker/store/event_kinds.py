"""An eventId is a student's: reused for an event of the other kind, it is a retry."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncConnection

from ..events import Event, EventType
from .dialect import is_one_of
from .models import CellExecution, NotebookEvent


async def not_stored_as_the_other_kind(
    conn: AsyncConnection, dialect: str, students: dict[str, int], events: list[Event]
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
            _taken(dialect, table),
            {
                "students": list({students[e.user_id] for e in of_kind}),
                "events": list({e.event_id for e in of_kind}),
            },
        )
        taken = {tuple(row) for row in rows}
        if taken:
            kept = [e for e in kept if (students[e.user_id], e.event_id) not in taken]
    return kept


@functools.cache
def _taken(dialect: str, table: type[CellExecution | NotebookEvent]) -> Select[Any]:
    """The (student, eventId) pairs `table` holds among those of a batch (built once: building
    a statement costs more than running it for the small batches of a live class)."""
    return select(table.student_id, table.event_id).where(
        is_one_of(dialect, table.student_id, "students"),
        is_one_of(dialect, table.event_id, "events"),
    )
