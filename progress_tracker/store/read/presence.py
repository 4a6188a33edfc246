"""Who has an exercise open now, first opened and last saved it, and who raised a hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
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
    # Read from the presence states kept on write: a row per student and kind, not every
    # heartbeat of the semester.
    state = PresenceState
    rows = await conn.execute(
        select(
            Student.user_id,
            state.event_type,
            func.min(state.first_at),
            func.max(state.last_at),
            func.max(state.last_received_at),
        )
        .join(Student, Student.id == state.student_id)
        .where(
            state.notebook_id == notebook_id,
            in_scope(scope, state.course_id, state.student_id),
        )
        .group_by(Student.user_id, state.event_type)
    )
    seen: dict[str, dict[str, tuple[datetime, datetime, datetime]]] = {}
    for user, kind, first, last, received in rows:
        seen.setdefault(user, {})[kind] = (utc(first), utc(last), utc(received))
    alive_since = datetime.now(UTC) - timedelta(seconds=2 * heartbeat_s)
    result = {}
    for user, kinds in sorted(seen.items()):
        alive = [kinds[k.value][2] for k in PRESENCE_EVENTS[:2] if k.value in kinds]
        closed = kinds.get(EventType.NOTEBOOK_CLOSED.value)
        last_alive = max(alive) if alive else None
        is_open = (
            last_alive is not None
            and last_alive >= alive_since
            and (closed is None or closed[2] < last_alive)
        )
        opened = kinds.get(EventType.NOTEBOOK_OPENED.value)
        saved = kinds.get(EventType.NOTEBOOK_SAVED.value)
        result[user] = {
            "open": is_open,
            "lastSeen": iso(max(times[1] for times in kinds.values())),
            "firstOpened": iso(opened[0]) if opened else None,
            "lastSaved": iso(saved[1]) if saved else None,
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
