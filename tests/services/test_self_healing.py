"""Consumers heal themselves: a lost stream, stale connections, dead consumers, outages."""

from __future__ import annotations

import asyncio
import signal

import pytest
from pipeline_kit import Kit, event, eventually

from progress_tracker.errors import Unavailable
from progress_tracker.live.feed import LiveFeed
from progress_tracker.sinks.database import DatabaseSink
from progress_tracker.store.writer import EventWriter

pytestmark = [pytest.mark.services, pytest.mark.asyncio]


async def waiting(kit: Kit) -> int:
    """Entries the database group has not acknowledged (read or not)."""
    depth = await kit.stream().depth(["database"])
    group = depth["groups"].get("database")
    return (group["pending"] + (group["lag"] or 0)) if group else 0


async def test_a_redis_that_comes_back_empty_gets_its_group_back_and_the_loss_is_reported(
    owned_database, private_redis, redis_prefix
):
    redis = private_redis(appendonly=False)  # accepted as volatile by the kit
    async with Kit(owned_database.url, redis.url, redis_prefix) as kit:
        pipeline = await kit.pipeline()
        await owned_database.revoke_insert()  # the events wait in the stream
        for _ in range(5):
            await pipeline.accept([event()])
        await eventually(lambda: _equals(waiting(kit), 5))

        async def seen_waiting():
            return (await pipeline.health())["queue"]["durability"]["waitingAtLastLook"] == 5

        await eventually(seen_waiting)  # the bookkeeping saw them: they can be counted as lost
        await redis.akill(signal.SIGKILL)
        await redis.astart()  # without AOF: empty
        await owned_database.grant_insert()
        after = [event(cell_id=f"after-{i}") for i in range(3)]
        await _accept_once_reachable(pipeline, after)

        async def stored_after():
            stored = set(await kit.stored_ids())
            return {e.event_id for e in after} <= stored

        await eventually(stored_after)
        report = await pipeline.health()
        [loss] = report["queue"]["durability"]["losses"]
        assert loss["knownEntries"] == 5
        assert "cannot be counted" in loss["message"]
        assert any("lost its data" in warning for warning in report["warnings"])
        assert report["sinks"]["database"]["groupsRecreated"] >= 1
        await eventually(lambda: _no_error(pipeline))


async def test_stale_connections_after_a_redis_restart_are_retried_not_refused(
    postgres_url, private_redis, redis_prefix
):
    redis = private_redis(appendonly=True)
    async with Kit(postgres_url, redis.url, redis_prefix) as kit:
        pipeline = await kit.pipeline()
        await asyncio.gather(*(pipeline.accept([event()]) for _ in range(10)))  # a pool of them
        await redis.akill(signal.SIGKILL)
        await redis.astart()
        # Every pooled connection is dead now; each command must go through on a new one.
        batches = [[event(cell_id=f"c{i}")] for i in range(10)]
        await asyncio.gather(*(pipeline.accept(batch) for batch in batches))
        await eventually(lambda: _equals(kit.stored(), 20))


async def test_a_dead_consumers_entries_are_taken_over_within_seconds_and_it_leaves_the_group(
    postgres_url, redis_url, redis_prefix
):
    async with Kit(postgres_url, redis_url, redis_prefix) as kit:
        batch = [event(cell_id=f"c{i}") for i in range(20)]
        stream = kit.stream()
        await stream.ensure_group("database")
        await stream.append(batch)
        # A collector reads the batch, then dies before acknowledging (no heartbeat from then on).
        await kit.redis.xreadgroup("database", "dead-collector", {kit.keys.events: ">"})
        # Idle-time reclaiming would take ten minutes: only the heartbeat can explain a takeover.
        pipeline = await kit.pipeline(claim_idle_ms=600_000)
        await eventually(lambda: _equals(kit.stored(), 20))

        async def consumers():
            infos = await kit.redis.xinfo_consumers(kit.keys.events, "database")
            return {info["name"].decode() for info in infos}

        await eventually(lambda: _gone(consumers(), "dead-collector"))
        assert pipeline.consumers[0].membership.reclaimed == 1
        assert sorted(await kit.stored_ids()) == sorted(e.event_id for e in batch)


async def test_a_redelivered_batch_is_announced_live_although_nothing_in_it_is_new(
    postgres_url, redis_url, redis_prefix
):
    async with Kit(postgres_url, redis_url, redis_prefix) as kit:
        batch = [event(cell_id=f"c{i}") for i in range(4)]
        stream = kit.stream()
        await stream.ensure_group("database")
        await stream.append(batch)
        # A first delivery committed the batch, then its XACK (and announcement) never happened.
        await kit.redis.xreadgroup("database", "dead-collector", {kit.keys.events: ">"})
        await DatabaseSink(EventWriter(kit.engine)).write(batch)
        live = LiveFeed()
        announced = Announced()
        live.subscribe(announced)
        await kit.pipeline(live=live)
        await eventually(lambda: _true(len(announced.ids) >= 4))
        assert announced.ids == [e.event_id for e in batch]
        assert await kit.stored() == 4


@pytest.mark.parametrize("fault", ["insert revoked", "read-only"])
async def test_errors_that_hit_every_event_are_outages_never_dead_letters(
    owned_database, redis_url, redis_prefix, fault
):
    async with Kit(owned_database.url, redis_url, redis_prefix) as kit:
        pipeline = await kit.pipeline(max_attempts=2)
        if fault == "insert revoked":
            await owned_database.revoke_insert()
        else:
            await owned_database.read_only(True)
        batch = [event(cell_id=f"c{i}") for i in range(10)]
        for index in range(0, 10, 2):
            await pipeline.accept(batch[index : index + 2])

        expected = "permission denied" if fault == "insert revoked" else "read-only"

        async def failing():
            return expected in (pipeline.consumers[0].state.last_error or "")

        await eventually(failing)  # (a read-only fail-over first drops the connections)
        # Many more failed rounds than max_attempts, and still nothing is dead-lettered.
        state = pipeline.consumers[0].state
        await eventually(lambda: _true(state.failures > 3 * 2), timeout=60)
        assert await kit.redis.xlen(kit.keys.dead) == 0
        if fault == "insert revoked":
            await owned_database.grant_insert()
        else:
            await owned_database.read_only(False)
        await eventually(lambda: _equals(kit.stored(), 10))
        assert await kit.redis.xlen(kit.keys.dead) == 0
        assert pipeline.consumers[0].state.dead_lettered == 0
        await eventually(lambda: _no_error(pipeline))


class Announced:
    """A live subscriber that records the event ids it was given, in order."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.resets: list[str] = []

    def on_message(self, message) -> None:
        import json

        self.ids += [e["eventId"] for e in json.loads(message.events)]

    def on_reset(self, reason: str) -> None:
        self.resets.append(reason)


async def _accept_once_reachable(pipeline, events) -> None:
    """Accept `events` as a browser does: retry a 503 until it is taken."""
    for _ in range(100):
        try:
            await pipeline.accept(events)
            return
        except Unavailable:
            await asyncio.sleep(0.1)
    raise AssertionError("never accepted")


async def _equals(awaitable, expected):
    return (await awaitable) == expected


async def _gone(awaitable, name):
    return name not in await awaitable


async def _true(value):
    return value


async def _no_error(pipeline):
    return all(c.state.last_error is None for c in pipeline.consumers)
