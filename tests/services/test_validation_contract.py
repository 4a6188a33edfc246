"""Validation is the contract of the stores: every batch it accepts is stored by every sink.

One predicate (`parse_batch`, what the events handler runs) against SQLite, PostgreSQL and
InfluxDB alike: generated hostile batches are either refused with a 4xx naming what is wrong, or
written to the store and read back (timeline, CSV export, wire form) without an error.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import func, select

from progress_tracker.config.influx import InfluxSettings
from progress_tracker.errors import TrackerError
from progress_tracker.events import EventLimits
from progress_tracker.events.batch import parse_batch
from progress_tracker.sinks.influx import InfluxSink
from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import upgrade_to_head
from progress_tracker.store.models import CellExecution, NotebookEvent, Student
from progress_tracker.store.read import ProgressQueries
from progress_tracker.store.read.export import csv_chunks
from progress_tracker.store.writer import EventWriter
from tests.hostile_events import batches, body_of

pytestmark = pytest.mark.services

EXAMPLES = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def accepted(raw: bytes, user: str):
    """The events the handler would accept from `raw`, or None when it refuses the batch."""
    try:
        return parse_batch(raw, user_id=user, max_events=100, limits=EventLimits())
    except TrackerError as err:
        assert 400 <= err.status_code < 500
        assert err.message
        return None


class SqlStore:
    """A migrated database, written by the writer and read back by the read side."""

    def __init__(self, url: str, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.engine = create_engine(url)
        loop.run_until_complete(upgrade_to_head(self.engine))
        self.writer = EventWriter(self.engine)
        self.queries = ProgressQueries(self.engine)

    def store_and_read_back(self, events) -> None:
        self.loop.run_until_complete(self._store_and_read_back(events))

    async def _store_and_read_back(self, events) -> None:
        await self.writer.write(events)
        for event in events:
            async with self.engine.connect() as conn:
                stored = 0
                for table in (CellExecution, NotebookEvent):
                    stored += await conn.scalar(
                        select(func.count())
                        .select_from(table)
                        .join(Student, Student.id == table.student_id)
                        .where(Student.user_id == event.user_id, table.event_id == event.event_id)
                    )
            assert stored == 1, event
            notebook = event.notebook_path if event.notebook_path is not None else ""
            timeline = await self.queries.executions(notebook, user=event.user_id, limit=10_000)
            json.dumps([e.to_wire() for e in timeline])
            async for _ in csv_chunks(self.queries.stream_executions(notebook), pseudonym_key=None):
                pass
            await self.queries.progress(notebook)
            await self.queries.pace(notebook)
            await self.queries.errors(notebook)

    def close(self) -> None:
        self.loop.run_until_complete(self.engine.dispose())


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_store(request, tmp_path, loop) -> Iterator[SqlStore]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path}/contract.sqlite"
    else:
        url = request.getfixturevalue("postgres_url")
    store = SqlStore(url, loop)
    yield store
    store.close()


@EXAMPLES
@given(batch=batches)
def test_what_validation_accepts_the_relational_store_stores_and_reads_back(sql_store, batch):
    events = accepted(body_of(batch), user=f"u-{uuid.uuid4().hex[:6]}")
    if events is not None:
        sql_store.store_and_read_back(events)


@EXAMPLES
@given(batch=batches)
def test_what_validation_accepts_influxdb_stores(influxd, influx_database, loop, batch):
    events = accepted(body_of(batch), user=f"u-{uuid.uuid4().hex[:6]}")
    if events is None:
        return
    sink = InfluxSink(InfluxSettings(url=influxd.url, api="v1", database=influx_database))
    try:
        loop.run_until_complete(sink.write(events))
    finally:
        loop.run_until_complete(sink.close())
    for event in events:
        rows = influxd.rows(
            f'SELECT count("hasError") FROM student_progress WHERE "eventId" = \'{event.event_id}\'',
            db=influx_database,
        )
        assert rows and rows[0]["count"] >= 1, event
