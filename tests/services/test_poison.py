"""Only real poison is dead-lettered, each event once, found by bisection in log n rounds;
no failure of a sink, expected or not, stops its consumer."""

from __future__ import annotations

import json
import math

import pytest
from pipeline_kit import Kit, event, eventually
from sqlalchemy import text

from progress_tracker.sinks import SinkError
from progress_tracker.sinks.database import DatabaseSink
from progress_tracker.store.writer import EventWriter

pytestmark = [pytest.mark.services, pytest.mark.asyncio]

NO_POISON = (
    "ALTER TABLE cell_executions ADD CONSTRAINT no_poison CHECK (code IS DISTINCT FROM 'poison')"
)


class CountingRejectingSink(DatabaseSink):
    """The real database sink, except that it refuses events whose code is 'poison' as bad
    data; it counts its writes."""

    write_each = None  # the refusal is this sink's own: found by bisection of `write`

    def __init__(self, writer: EventWriter):
        super().__init__(writer)
        self.writes = 0

    async def write(self, events):
        self.writes += 1
        if any(e.code == "poison" for e in events):
            raise SinkError("rejected as bad data", retryable=False)
        return await super().write(events)


class BuggySink(DatabaseSink):
    """The real database sink with a bug that some events trigger (as a KeyError did)."""

    write_each = None

    async def write(self, events):
        if any(e.cell_id == "new-cell" for e in events):
            raise KeyError((1, "new-cell"))
        return await super().write(events)


class ProbelessBuggySink:
    """A sink (no probe) with the same bug: only another stored event can show it works."""

    name = "database"

    def __init__(self, writer: EventWriter):
        self.database = BuggySink(writer)

    async def write(self, events):
        return await self.database.write(events)

    async def close(self):
        pass


async def dead_letters(kit: Kit) -> list[dict]:
    return await kit.stream().dead.list()


async def test_each_poison_event_costs_log_n_writes_and_is_dead_lettered_once(
    postgres_url, redis_url, redis_prefix
):
    async with Kit(postgres_url, redis_url, redis_prefix) as kit:
        batch = [event(cell_id=f"c{i}") for i in range(64)]
        for index in (10, 50):
            batch[index] = event(cell_id=f"p{index}", code="poison")
        await kit.stream().append(batch)
        sink = CountingRejectingSink(EventWriter(kit.engine))
        await kit.pipeline(sinks=[sink])
        await eventually(lambda: _equals(kit.stored(), 62))
        letters = await eventually(lambda: _count(dead_letters(kit), 2))
        assert sorted(letter["event"]["eventId"] for letter in letters) == sorted(
            batch[index].event_id for index in (10, 50)
        )
        # one failed write of the whole batch, then two halves per level for each poison event
        assert sink.writes <= 1 + 2 * 2 * math.log2(64)
        assert await kit.redis.xlen(kit.keys.dead) == 2, "each one once"


async def test_rows_the_database_itself_refuses_are_isolated_and_the_rest_goes_on(
    postgres_url, redis_url, redis_prefix
):
    async with Kit(postgres_url, redis_url, redis_prefix) as kit:
        # The database refuses these rows (as it would a value out of its range): a constraint.
        async with kit.engine.begin() as conn:
            await conn.execute(text(NO_POISON))
        good = [event(cell_id=f"c{i}") for i in range(8)]
        poison = [event(cell_id=f"p{i}", code="poison") for i in range(2)]
        entry = [json.loads(e.to_json()) for e in good[:4] + poison + good[4:]]
        # Straight into the stream, as a kernel that can reach an open Redis could.
        await kit.redis.xadd(kit.keys.events, {b"events": json.dumps(entry)})
        await kit.stream().append([event(cell_id="later")])
        await kit.pipeline()
        await eventually(lambda: _equals(kit.stored(), 9))
        letters = await eventually(lambda: _count(dead_letters(kit), 2))
        assert {letter["event"]["eventId"] for letter in letters} == {e.event_id for e in poison}
        assert all("no_poison" in letter["error"] for letter in letters), letters[0]["error"]


class CountingSink(DatabaseSink):
    """The real database sink, counting its writes (one by one or in a batch)."""

    def __init__(self, writer: EventWriter):
        super().__init__(writer)
        self.writes = 0

    async def write(self, events):
        self.writes += 1
        return await super().write(events)

    async def write_each(self, events):
        self.writes += 1
        return await super().write_each(events)


async def test_a_batch_of_poison_costs_a_handful_of_writes_not_two_per_event(
    postgres_url, redis_url, redis_prefix
):
    """100 events the database refuses in one entry: the pieces of at most 32 events are
    written one event per savepoint, in one transaction each."""
    async with Kit(postgres_url, redis_url, redis_prefix) as kit:
        async with kit.engine.begin() as conn:
            await conn.execute(text(NO_POISON))
        poison = [event(cell_id=f"p{i}", code="poison") for i in range(100)]
        good = [event(cell_id=f"c{i}") for i in range(3)]
        entry = [json.loads(e.to_json()) for e in poison[:50] + good + poison[50:]]
        await kit.redis.xadd(kit.keys.events, {b"events": json.dumps(entry)})
        sink = CountingSink(EventWriter(kit.engine))
        await kit.pipeline(sinks=[sink])
        letters = await eventually(lambda: _count(dead_letters(kit), 100))
        assert await kit.stored() == 3
        assert {letter["event"]["eventId"] for letter in letters} == {e.event_id for e in poison}
        assert all("no_poison" in letter["error"] for letter in letters)
        # the batch, two halves of 51/52, four quarters of 25/26, each quarter one by one
        assert sink.writes <= 1 + 2 + 4 + 4, sink.writes


async def test_an_unexpected_exception_isolates_the_event_and_never_stops_the_consumer(
    postgres_url, redis_url, redis_prefix
):
    async with Kit(postgres_url, redis_url, redis_prefix) as kit:
        batch = [event(cell_id="c1"), event(cell_id="new-cell"), event(cell_id="c2")]
        await kit.stream().append(batch)
        pipeline = await kit.pipeline(sinks=[BuggySink(EventWriter(kit.engine))])
        await eventually(lambda: _equals(kit.stored(), 2))
        [letter] = await eventually(lambda: _count(dead_letters(kit), 1))
        assert letter["event"]["eventId"] == batch[1].event_id
        assert "KeyError" in letter["error"]
        await pipeline.accept([event(cell_id="c3")])
        await eventually(lambda: _equals(kit.stored(), 3))
        assert kit.tasks.restarts["progress-tracker-consume-database"] == 0
        assert pipeline.consumers[0].state.crashes == 0


async def test_a_restarted_collector_does_not_die_again_on_the_same_pending_entry(
    postgres_url, redis_url, redis_prefix
):
    async with Kit(postgres_url, redis_url, redis_prefix) as kit:
        batch = [event(cell_id="new-cell"), event(cell_id="c1")]
        stream = kit.stream()
        await stream.ensure_group("database")
        await stream.append(batch)
        # The collector that read it died on it; its entry waits for whoever comes next.
        await kit.redis.xreadgroup("database", "collector-that-died", {kit.keys.events: ">"})
        await kit.pipeline(sinks=[BuggySink(EventWriter(kit.engine))])
        await eventually(lambda: _equals(kit.stored(), 1))
        await eventually(lambda: _count(dead_letters(kit), 1))
        assert kit.tasks.restarts["progress-tracker-consume-database"] == 0


async def test_a_lone_refused_event_waits_for_an_event_that_proves_the_sink_works(
    postgres_url, redis_url, redis_prefix
):
    async with Kit(postgres_url, redis_url, redis_prefix) as kit:
        suspect = event(cell_id="new-cell")
        pipeline = await kit.pipeline(sinks=[ProbelessBuggySink(EventWriter(kit.engine))])
        await pipeline.accept([suspect])
        consumer = pipeline.consumers[0]
        await eventually(lambda: _true(consumer.state.failures >= 1))
        assert await kit.redis.xlen(kit.keys.dead) == 0, "alone, it might be the sink's fault"
        assert "refused" in consumer.state.last_error
        await pipeline.accept([event(cell_id="c1")])
        [letter] = await eventually(lambda: _count(dead_letters(kit), 1))
        assert letter["event"]["eventId"] == suspect.event_id
        assert await kit.stored() == 1
        await eventually(lambda: _true(consumer.state.last_error is None))


async def _equals(awaitable, expected):
    return (await awaitable) == expected


async def _count(awaitable, expected):
    found = await awaitable
    return found if len(found) == expected else None


async def _true(value):
    return value
