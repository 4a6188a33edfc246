"""The live feed on Redis: numbered messages that survive a Redis restart with AOF, and a feed
lost with Redis's data tells every dashboard to reload instead of going silent."""

from __future__ import annotations

import json
import signal

import pytest
from pipeline_kit import event, eventually

from progress_tracker.live.messages import FeedPosition
from progress_tracker.live.redis import RedisLiveFeed
from progress_tracker.queue.connection import connect
from progress_tracker.queue.keys import StreamKeys
from progress_tracker.tasks import BackgroundTasks

pytestmark = [pytest.mark.services, pytest.mark.asyncio]


class Recorder:
    """A subscriber that keeps what it was given."""

    def __init__(self) -> None:
        self.seqs: list[int] = []
        self.ids: list[str] = []
        self.resets: list[str] = []

    def on_message(self, message) -> None:
        self.seqs.append(message.seq)
        self.ids += [e["eventId"] for e in json.loads(message.events)]

    def on_reset(self, reason: str) -> None:
        self.resets.append(reason)


async def started_feed(url: str, prefix: str, tasks: BackgroundTasks) -> RedisLiveFeed:
    keys = StreamKeys(prefix)
    feed = RedisLiveFeed(connect(url), keys.live, keys.live_identity, block_ms=200)
    await feed.start(tasks)
    return feed


async def test_a_redis_restart_with_aof_loses_no_live_message(private_redis, redis_prefix):
    redis = private_redis(appendonly=True)
    tasks = BackgroundTasks()
    feed = await started_feed(redis.url, redis_prefix, tasks)
    recorder = Recorder()
    feed.subscribe(recorder)
    try:
        before = [event() for _ in range(3)]
        await feed.publish(before)
        await eventually(lambda: _true(len(recorder.ids) == 3))
        position = await feed.head()
        await redis.akill(signal.SIGKILL)
        await redis.astart()
        after = [event() for _ in range(3)]
        await feed.publish(after)
        await eventually(lambda: _true(len(recorder.ids) == 6))
        assert recorder.ids == [e.event_id for e in before + after]
        assert recorder.seqs == list(range(1, len(recorder.seqs) + 1))
        assert recorder.resets == []
        assert [m.seq for m in await feed.replay(position)] == recorder.seqs[-1:]
    finally:
        await tasks.stop()
        await feed.redis.aclose()


async def test_a_feed_lost_with_redis_data_tells_every_dashboard_to_reload(
    private_redis, redis_prefix
):
    redis = private_redis(appendonly=False)
    tasks = BackgroundTasks()
    feed = await started_feed(redis.url, redis_prefix, tasks)
    recorder = Recorder()
    feed.subscribe(recorder)
    try:
        await feed.publish([event() for _ in range(3)])
        await eventually(lambda: _true(len(recorder.ids) == 3))
        old = await feed.head()
        await redis.akill(signal.SIGKILL)
        await redis.astart()  # without AOF: the feed is gone
        await feed.publish([event()])
        await eventually(lambda: _true(bool(recorder.resets)))
        assert "lost" in recorder.resets[0]
        new = await feed.head()
        assert new.feed != old.feed
        assert await feed.replay(old) is None, "a dashboard of the old feed must reload"
        assert await feed.replay(FeedPosition(new.feed, 0)) is not None
    finally:
        await tasks.stop()
        await feed.redis.aclose()


async def _true(value: bool) -> bool:
    return value
