"""Presence (who has an exercise open, first opened, last saved) is read from the presence
states kept on write, a row per student and kind of lifecycle event, not from every heartbeat
of the semester; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from sqlalchemy import text

from progress_tracker.events import Event
from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import upgrade_to_head
from progress_tracker.store.read import ProgressQueries
from progress_tracker.store.state.check import differences
from progress_tracker.store.writer import EventWriter
from tests.dialects import database_url  # noqa: F401 - the fixture

pytestmark = pytest.mark.asyncio


def now() -> datetime:
    """The time of the test itself (a module-level time would be stale by when a long suite
    reaches the test, and presence counts from the server's clock)."""
    return datetime.now(UTC).replace(microsecond=0)


def lifecycle(user: str, kind: str, ago: timedelta, *, base: datetime | None = None) -> Event:
    at = (base or now()) - ago
    return Event.model_validate(
        {
            "eventId": f"{user}-{kind}-{ago.total_seconds()}",
            "eventType": kind,
            "eventTime": at.isoformat(),
            "notebookPath": "lab.ipynb",
            "userId": user,
            "receivedAt": at,
        }
    )


@pytest_asyncio.fixture
async def engine(database_url):  # noqa: F811 - the fixture imported above
    engine = create_engine(database_url)
    await upgrade_to_head(engine)
    yield engine
    assert await differences(engine) == [], "what was kept on write is what a recount gives"
    await engine.dispose()


async def presence(engine) -> dict:
    return (await ProgressQueries(engine).progress("lab.ipynb"))["presence"]


async def test_a_semester_of_heartbeats_gives_the_first_opening_and_the_latest_beat(engine):
    writer = EventWriter(engine)
    base = now()
    beats = [
        lifecycle("ann", "notebook_heartbeat", timedelta(minutes=m), base=base) for m in range(90)
    ]
    # Sent out of order, in several batches, one of them twice.
    await writer.write(beats[40:])
    await writer.write([lifecycle("ann", "notebook_opened", timedelta(days=20), base=base)])
    await writer.write(beats[:40])
    await writer.write(beats[:40])
    await writer.write([lifecycle("ann", "notebook_saved", timedelta(days=3), base=base)])
    assert (await presence(engine))["ann"] == {
        "open": True,
        "lastSeen": base.isoformat(),
        "firstOpened": (base - timedelta(days=20)).isoformat(),
        "lastSaved": (base - timedelta(days=3)).isoformat(),
    }


async def test_a_student_who_closed_the_notebook_is_not_open(engine):
    writer = EventWriter(engine)
    await writer.write(
        [
            lifecycle("bob", "notebook_opened", timedelta(minutes=10)),
            lifecycle("bob", "notebook_heartbeat", timedelta(minutes=5)),
            lifecycle("bob", "notebook_closed", timedelta(minutes=1)),
        ]
    )
    assert (await presence(engine))["bob"]["open"] is False


async def test_presence_never_reads_the_stored_lifecycle_events(engine):
    writer = EventWriter(engine)
    await writer.write(
        [lifecycle("ann", "notebook_opened", timedelta(hours=1))]
        + [lifecycle("ann", "notebook_heartbeat", timedelta(minutes=m)) for m in range(3)]
    )
    before = await presence(engine)
    async with engine.begin() as conn:
        stored = await conn.execute(text("SELECT * FROM notebook_events"))
        saved = [dict(row) for row in stored.mappings()]
        await conn.execute(text("DELETE FROM notebook_events"))
    assert await presence(engine) == before
    async with engine.begin() as conn:  # the events back, for the recount check
        columns = list(saved[0])
        await conn.execute(
            text(
                f"INSERT INTO notebook_events ({', '.join(columns)}) "
                f"VALUES ({', '.join(':' + column for column in columns)})"
            ),
            saved,
        )
