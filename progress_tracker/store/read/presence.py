"""Who has an exercise open now, first opened and last saved it, and who raised a hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from ...courses.scope import Scope
from ...events import EventType
from ..models import NotebookEvent, Student
from ..state.tables import PresenceState
from .rows import iso, utc
from .scoping import in_scope

PRESENCE_EVENTS = (
    EventType.NOTEBOOK_OPENED,
    EventType.NOTEBOOK_HEARTBEAT,
    EventType.NOTEBOOK_SAVED,
    EventType.NOTEBOOK_CLOSED,
)
HAND_EVENTS = (EventType.HELP, EventType.HELP_STOP)


async def presence(
    conn: AsyncConnection, notebook_id: int, scope: Scope, *, heartbeat_s: float
) -> dict[str, dict[str, Any]]:
    """Per student: open now, last seen, first opened, last saved.

    Open now: opened or a heartbeat received within two heartbeats, and not closed since.
    "Now" and "since" are the server's receive times (a client clock cannot keep a student
    present); the times shown are the events' own.
    """
    # Read from the presence states kept on write (a row per student and kind, not every
    # heartbeat of the semester), folded into one row per student by the database: a
    # 2,000-student lecture is 2,000 rows to turn into Python, not 8,000.
    state = PresenceState

    def of(kinds: tuple[EventType, ...], column: Any) -> Any:
        return case((state.event_type.in_([kind.value for kind in kinds]), column))

    opened, alive = (EventType.NOTEBOOK_OPENED,), PRESENCE_EVENTS[:2]
    rows = await conn.execute(
        select(
            Student.user_id,
            func.max(state.last_at),
            func.min(of(opened, state.first_at)),
            func.max(of((EventType.NOTEBOOK_SAVED,), state.last_at)),
            func.max(of(alive, state.last_received_at)),
            func.max(of((EventType.NOTEBOOK_CLOSED,), state.last_received_at)),
        )
        .join(Student, Student.id == state.student_id)
        .where(
            state.notebook_id == notebook_id,
            in_scope(scope, state.course_id, state.student_id),
        )
        .group_by(Student.user_id)
    )
    alive_since = datetime.now(UTC) - timedelta(seconds=2 * heartbeat_s)
    result = {}
    for user, last_seen, first_opened, last_saved, alive_at, closed_at in sorted(rows):
        last_alive, closed = utc(alive_at), utc(closed_at)
        result[user] = {
            "open": last_alive is not None
            and last_alive >= alive_since
            and (closed is None or closed < last_alive),
            "lastSeen": iso(last_seen),
            "firstOpened": iso(first_opened),
            "lastSaved": iso(last_saved),
        }
    return result


async def raised_hands(
    conn: AsyncConnection, notebook_id: int, scope: Scope
) -> dict[str, dict[str, Any]]:
    """Students whose latest help / help_stop is a `help`: since when, their message, the cell."""
    ranked = (
        select(
            NotebookEvent.student_id,
            NotebookEvent.event_type,
            NotebookEvent.event_time,
            NotebookEvent.message,
            NotebookEvent.cell_id,
            func.row_number()
            .over(
                partition_by=NotebookEvent.student_id,
                order_by=(NotebookEvent.event_time.desc(), NotebookEvent.id.desc()),
            )
            .label("rank"),
        )
        .where(
            NotebookEvent.notebook_id == notebook_id,
            NotebookEvent.event_type.in_([kind.value for kind in HAND_EVENTS]),
            in_scope(scope, NotebookEvent.course_id, NotebookEvent.student_id),
        )
        .subquery()
    )
    rows = await conn.execute(
        select(Student.user_id, ranked.c.event_time, ranked.c.message, ranked.c.cell_id)
        .join(Student, Student.id == ranked.c.student_id)
        .where(ranked.c.rank == 1, ranked.c.event_type == EventType.HELP.value)
    )
    return {
        user: {"since": iso(at), "message": message, "cellId": cell}
        for user, at, message, cell in rows
    }
