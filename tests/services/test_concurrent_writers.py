"""A collector writes several batches to PostgreSQL at once: every event once, the read model exact."""

from __future__ import annotations

import pytest
from pipeline_kit import Kit, event, eventually

from progress_tracker.access.mode import Role
from progress_tracker.config.queue import ConsumerSettings, QueueSettings
from progress_tracker.queue.health import group_report
from progress_tracker.runtime import Runtime
from progress_tracker.settings import Settings
from progress_tracker.sinks.database import DatabaseSink
from progress_tracker.store.state.check import differences
from progress_tracker.store.writer import EventWriter

pytestmark = pytest.mark.services


@pytest.mark.asyncio
async def test_two_writers_store_every_event_once_and_keep_the_read_model_exact(
    postgres_url, redis_url, redis_prefix
):
    async with Kit(postgres_url, redis_url, redis_prefix) as kit:
        stream = kit.stream()
        batches = [
            [
                event(f"student{n % 6}", cell_id=f"c{cell}", has_error=cell % 4 == 0)
                for cell in range(30)
            ]
            for n in range(36)
        ]
        for batch in batches:
            await stream.append(batch)
        await stream.append(batches[0])  # a browser retrying after a lost 202
        writers = [DatabaseSink(EventWriter(kit.engine)) for _ in range(2)]
        pipeline = await kit.pipeline(writers, batch_size=100)  # two entries per read

        async def drained() -> bool:
            group = (await pipeline.health())["queue"]["groups"].get("database")
            return group is not None and group["pending"] == 0 and group["lag"] == 0

        await eventually(drained)
        stored = await kit.stored_ids()
        assert sorted(stored) == sorted(e.event_id for batch in batches for e in batch)
        assert await differences(kit.engine) == [], "kept on write = recounted from history"
        health = await pipeline.health()
        assert health["queue"]["groups"]["database"]["consumers"] == 2, "one group, two readers"
        sink = health["sinks"]["database"]
        assert (sink["writers"], sink["persisted"], sink["lastError"]) == (2, 37 * 30, None)


def test_a_sink_written_by_several_consumers_reports_their_sum_and_the_failure_going_on():
    quiet = {
        "persisted": 5,
        "deadLettered": 0,
        "lastError": None,
        "failingSince": None,
        "lastFailure": {"message": "old", "at": 1.0},
        "lastSuccessAt": 9.0,
        "failures": 1,
        "crashes": 0,
        "groupsRecreated": 0,
        "consumer": "a",
        "suspects": 0,
        "reclaimed": 1,
        "removedConsumers": 0,
    }
    failing = {
        **quiet,
        "persisted": 7,
        "lastError": "timeout",
        "failingSince": 8.0,
        "lastFailure": {"message": "timeout", "at": 8.0},
        "lastSuccessAt": 7.0,
        "consumer": "b",
    }
    merged = group_report([quiet, failing])
    assert merged["persisted"] == 12 and merged["reclaimed"] == 2 and merged["failures"] == 2
    assert (merged["lastError"], merged["failingSince"]) == ("timeout", 8.0)
    assert merged["lastFailure"] == {"message": "timeout", "at": 8.0}
    assert (merged["lastSuccessAt"], merged["writers"], merged["consumer"]) == (9.0, 2, "a")


@pytest.mark.asyncio
@pytest.mark.parametrize("dialect", ["postgresql", "sqlite"])
async def test_a_collector_writes_postgresql_twice_at_once_and_sqlite_once(
    dialect, tmp_path, postgres_url, redis_url, redis_prefix
):
    database = postgres_url if dialect == "postgresql" else f"sqlite+aiosqlite:///{tmp_path}/t.db"
    runtime = Runtime(
        Settings(
            role=Role("collector"),
            data_dir=tmp_path,
            database_url=database,
            redis_url=redis_url,
            queue=QueueSettings(key_prefix=redis_prefix, allow_volatile=True),
            consumer=ConsumerSettings(database_writers=2),
        )
    )
    try:
        await runtime.start()
        health = await runtime.pipeline.health()
        assert health["sinks"]["database"]["writers"] == (2 if dialect == "postgresql" else 1)
    finally:
        await runtime.stop()
