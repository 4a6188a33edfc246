"""Keeping the presence states (`PresenceState`) current in the write transaction, and their
recount for a rebuild.

Fed exactly the notebook events the transaction inserted, so a redelivered heartbeat changes
nothing; the times only move outwards (min and max), so the order of arrival does not matter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from sqlalchemy import case, text
from sqlalchemy.ext.asyncio import AsyncConnection

from ...events import EventType
from ..dialect import insert_for
from .tables import PresenceState

# The notebook lifecycle events presence is made of.
PRESENCE_TYPES = (
    EventType.NOTEBOOK_OPENED.value,
    EventType.NOTEBOOK_HEARTBEAT.value,
    EventType.NOTEBOOK_SAVED.value,
    EventType.NOTEBOOK_CLOSED.value,
)

RECOUNT_ALL = (
    "DELETE FROM presence_states",
    f"""INSERT INTO presence_states (notebook_id, course_id, student_id, event_type, first_at,
        last_at, last_received_at)
    SELECT notebook_id, course_id, student_id, event_type, min(event_time), max(event_time),
        max(received_at)
    FROM notebook_events
    WHERE event_type IN ({", ".join(f"'{kind}'" for kind in PRESENCE_TYPES)})
    GROUP BY notebook_id, course_id, student_id, event_type""",
)

Key = tuple[int, str, int, str]


def recount_all(connection: Any) -> None:
    """Recount every presence state (a synchronous connection: the rebuild's, a migration's)."""
    for statement in RECOUNT_ALL:
        connection.execute(text(statement))


def presence_deltas(events: Iterable[Mapping[str, Any]]) -> dict[Key, dict[str, Any]]:
    """Per (notebook, course, student, kind) of the presence events: their times, in key order."""
    states: dict[Key, dict[str, Any]] = {}
    for event in events:
        if event["event_type"] not in PRESENCE_TYPES:
            continue
        key = (event["notebook_id"], event["course_id"], event["student_id"], event["event_type"])
        at, received = event["event_time"], event["received_at"]
        state = states.get(key)
        if state is None:
            states[key] = {
                "notebook_id": key[0],
                "course_id": key[1],
                "student_id": key[2],
                "event_type": key[3],
                "first_at": at,
                "last_at": at,
                "last_received_at": received,
            }
            continue
        state["first_at"] = min(state["first_at"], at)
        state["last_at"] = max(state["last_at"], at)
        state["last_received_at"] = max(state["last_received_at"], received)
    return {key: states[key] for key in sorted(states)}


@cache
def _presence_upsert(dialect: str) -> Any:
    table = PresenceState.__table__
    insert = insert_for(dialect, table)
    new, old = insert.excluded, table.c
    return insert.on_conflict_do_update(
        index_elements=["notebook_id", "course_id", "student_id", "event_type"],
        set_={
            "first_at": case((new.first_at < old.first_at, new.first_at), else_=old.first_at),
            "last_at": case((new.last_at > old.last_at, new.last_at), else_=old.last_at),
            "last_received_at": case(
                (new.last_received_at > old.last_received_at, new.last_received_at),
                else_=old.last_received_at,
            ),
        },
    )


async def apply_presence(
    conn: AsyncConnection, dialect: str, events: Iterable[Mapping[str, Any]]
) -> None:
    """Merge a transaction's new notebook events into the presence states (one statement,
    many parameter sets: compiled once, see `maintain.py`)."""
    rows = list(presence_deltas(events).values())
    if rows:
        await conn.execute(_presence_upsert(dialect), rows)
