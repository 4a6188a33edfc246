"""Stored `help` and `help_stop` events become help queue entries (in the writer's transaction).

Called with exactly the notebook-event rows a batch inserted, so a redelivered event changes
nothing. One open entry per student and exercise: raising again updates its message and cell and
keeps its place in the queue; lowering resolves it (by the student).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ..events import EventType
from ..store.models import IMPLICIT_COURSE_ID
from .models import OPEN_STATES, RESOLVED, WAITING, HelpEntry

HAND_TYPES = frozenset({EventType.HELP.value, EventType.HELP_STOP.value})


async def apply_hands(conn: AsyncConnection, rows: Iterable[dict[str, Any]]) -> None:
    """Open, update or resolve entries from the new `help` / `help_stop` rows, oldest first."""
    hands = sorted(
        (row for row in rows if row["event_type"] in HAND_TYPES),
        key=lambda row: (row["event_time"], row["received_at"]),
    )
    for row in hands:
        open_id = await _open_entry(conn, row["student_id"], row["notebook_id"])
        if row["event_type"] == EventType.HELP.value:
            await _raise(conn, open_id, row)
        elif open_id is not None:
            await conn.execute(
                update(HelpEntry)
                .where(HelpEntry.id == open_id)
                .values(
                    state=RESOLVED,
                    resolved_at=row["received_at"],
                    resolved_by=None,  # None: lowered by the student
                    last_event_id=row["event_id"],
                )
            )


async def _open_entry(conn: AsyncConnection, student: int, notebook: int) -> int | None:
    found = await conn.execute(
        select(HelpEntry.id)
        .where(
            HelpEntry.student_id == student,
            HelpEntry.notebook_id == notebook,
            HelpEntry.state.in_(OPEN_STATES),
        )
        .order_by(HelpEntry.id.desc())
        .limit(1)
    )
    return found.scalar()


async def _raise(conn: AsyncConnection, open_id: int | None, row: dict[str, Any]) -> None:
    fields = {
        "cell_id": row["cell_id"],
        "message": row["message"],
        "last_event_id": row["event_id"],
    }
    if open_id is not None:
        await conn.execute(update(HelpEntry).where(HelpEntry.id == open_id).values(**fields))
        return
    await conn.execute(
        HelpEntry.__table__.insert().values(
            student_id=row["student_id"],
            notebook_id=row["notebook_id"],
            course_id=row["course_id"] or IMPLICIT_COURSE_ID,
            state=WAITING,
            raised_at=row["received_at"],
            **fields,
        )
    )
