"""The collector's pipeline against real Redis and PostgreSQL: durable, exactly once, resilient."""

from __future__ import annotations

import asyncio

import pytest
from pipeline_kit import Kit, event, eventually

from progress_tracker.errors import Unavailable
from progress_tracker.events import Event
from progress_tracker.pipelines.stream import StreamPipeline
from progress_tracker.queue.keys import StreamKeys
from progress_tracker.queue.stream import EventStream, QueueFull
from progress_tracker.sinks import SinkError
from progress_tracker.sinks.database import DatabaseSink
from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import upgrade_to_head
from progress_tracker.store.writer import EventWriter

pytestmark = [pytest.mark.services, pytest.mark.asyncio]


async def test_accepted_events_are_in_redis_before_any_consumer_runs(
    postgres_url, redis_url, redis_prefix
):
    async with Kit(postgres_url, redis_url, redis_prefix) as kit:
        batch = [event() for _ in range(5)]
        await kit.stream().append(batch)
        assert await kit.redis.xlen(kit.keys.events) == 1, "one entry per accepted batch"
        assert await kit.stored() == 0
        await kit.pipeline()
        assert await eventually(lambda: _equals(kit.stored(), 5))


async def test_every_event_is_stored_exactly_once_under_redelivery(
    postgres_url, redis_url, redis_prefix
):
    async with Kit(postgres_url, redis_url, redis_prefix) as kit:
        batch = [event(cell_id=f"c{i}") for i in range(50)]
        stream = kit.stream()
        for _ in range(3):  # a browser retrying after lost 202s
            await stream.append(batch)
        await kit.pipeline(batch_size=100)
        await eventually(lambda: _drained(kit))
        ids = await kit.stored_ids()
        assert sorted(ids) == sorted(e.event_id for e in batch)


async def test_entries_of_a_consumer_killed_mid_batch_are_reclaimed_and_stored_once(
    postgres_url, redis_url, redis_prefix
):
    async with Kit(postgres_url, redis_url, redis_prefix) as kit:
        batch = [event(cell_id=f"c{i}") for i in range(20)]
        stream = kit.stream()
        await stream.ensure_group("database")
        await stream.append(batch)
        # A consumer reads the whole batch, then its process dies before acknowledging.
        await kit.redis.xreadgroup("database", "dead-consumer", {kit.keys.events: ">"}, count=100)
        pending = await kit.redis.xpending(kit.keys.events, "database")
        assert pending["pending"] == 1
        await kit.pipeline(claim_idle_ms=300)
        await eventually(lambda: _drained(kit))
        assert sorted(await kit.stored_ids()) == sorted(e.event_id for e in batch)


class RejectingSink(DatabaseSink):
    """The real database sink, except that it rejects events marked as poison as bad data."""

    write_each = None  # the refusal is this sink's own: found by bisection of `write`

    async def write(self, events):
        if any(e.code == "poison" for e in events):
            raise SinkError("rejected as bad data", retryable=False)
        return await super().write(events)


async def test_poison_entries_go_to_the_dead_letters_and_the_rest_is_stored(
    postgres_url, redis_url, redis_prefix
):
    async with Kit(postgres_url, redis_url, redis_prefix) as kit:
        good = [event(cell_id=f"c{i}") for i in range(4)]
        rejected = event(code="poison")
        too_long = Event.model_construct(**{**event().__dict__, "notebook_path": "p" * 1500})
        stream = kit.stream()
        await stream.append([good[0], rejected, good[1]])
        await kit.redis.xadd(kit.keys.events, {b"event": too_long.to_json()})
        await kit.redis.xadd(kit.keys.events, {b"event": b"{not json"})
        await stream.append([good[2], good[3]])
        pipeline = await kit.pipeline(
            sinks=[RejectingSink(EventWriter(kit.engine))], max_attempts=3
        )
        await eventually(lambda: _equals(kit.redis.xlen(kit.keys.dead), 3))
        await eventually(lambda: _drained(kit))
        assert sorted(await kit.stored_ids()) == sorted(e.event_id for e in good)
        letters = await stream.dead.list()
        errors = [letter["error"] for letter in letters]
        assert sum("unreadable entry" in error for error in errors) == 2
        assert "rejected as bad data" in errors
        assert any(letter["event"] == rejected.to_wire() for letter in letters)
        health = await pipeline.health()
        assert health["queue"]["deadLetters"] == 3
        assert health["sinks"]["database"]["deadLettered"] == 3


async def test_a_replayed_dead_letter_is_stored_once_it_can_be(
    postgres_url, redis_url, redis_prefix
):
    async with Kit(postgres_url, redis_url, redis_prefix) as kit:
        stream = kit.stream()
        await stream.dead.add("1-0", event(event_id="fixed-later").to_json().encode(), "x", "db")
        assert await stream.dead.replay() == 1
        await kit.pipeline()
        assert await eventually(lambda: _equals(kit.stored(), 1))
        assert await kit.redis.xlen(kit.keys.dead) == 0


async def test_nothing_is_lost_when_postgresql_stops_and_restarts_during_a_load(
    private_postgres, redis_url, redis_prefix
):
    from postgres import create_database

    await create_database(private_postgres.url, "tracker")
    async with Kit(f"{private_postgres.url}/tracker", redis_url, redis_prefix) as kit:
        await kit.pipeline(batch_size=50)
        stream = kit.stream()
        sent = []
        for round_ in range(30):
            batch = [event(user=f"s{round_ % 7}", cell_id=f"c{i}") for i in range(20)]
            await stream.append(batch)  # the queue keeps accepting while the database is down
            sent += batch
            if round_ == 10:
                await private_postgres.astop()
            if round_ == 20:
                await private_postgres.astart()
            await asyncio.sleep(0.05)
        await eventually(lambda: _drained(kit), timeout=60)
        ids = await kit.stored_ids()
        assert len(ids) == len(set(ids)) == len(sent)
        database = (await kit.pipelines[0].health())["sinks"]["database"]
        assert database["lastFailure"]["message"], "the outage was noticed"
        assert database["lastError"] is None, "and its error cleared once it was over"


async def test_a_full_queue_refuses_new_events_instead_of_dropping_old_ones(
    postgres_url, redis_url, redis_prefix
):
    async with Kit(postgres_url, redis_url, redis_prefix) as kit:
        stream = EventStream(kit.redis, kit.keys, max_len=3)
        for _ in range(3):
            await stream.append([event() for _ in range(5)])
        with pytest.raises(QueueFull):
            await stream.append([event()])
        assert await kit.redis.xlen(kit.keys.events) == 3


async def test_redis_unreachable_means_503_and_nothing_half_accepted():
    from redis.asyncio import Redis

    from progress_tracker.config import ConsumerSettings
    from progress_tracker.live.feed import LiveFeed

    redis = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    pipeline = StreamPipeline(
        EventStream(redis, StreamKeys("nowhere"), max_len=100), [], LiveFeed(), ConsumerSettings()
    )
    with pytest.raises(Unavailable) as refused:
        await pipeline.accept([event()])
    assert "unreachable" in str(refused.value)
    await redis.aclose()


async def test_database_errors_are_told_apart_retryable_or_poison(postgres_url):
    engine = create_engine(postgres_url)
    await upgrade_to_head(engine)
    sink = DatabaseSink(EventWriter(engine))
    with pytest.raises(SinkError) as poison:
        await sink.write([Event.model_construct(**{**event().__dict__, "execution_count": 2**40})])
    assert poison.value.retryable is False
    await engine.dispose()
    down = DatabaseSink(EventWriter(create_engine("postgresql+asyncpg://postgres@127.0.0.1:1/x")))
    with pytest.raises(SinkError) as outage:
        await down.write([event()])
    assert outage.value.retryable is True
    await down.writer.engine.dispose()


async def _equals(awaitable, expected):
    return (await awaitable) == expected


async def _drained(kit: Kit) -> bool:
    info = await kit.redis.xinfo_groups(kit.keys.events)
    return bool(info) and all(g["pending"] == 0 and (g.get("lag") or 0) == 0 for g in info)
