"""The collector's pipeline: accept into a Redis Stream, persist through one consumer per sink."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from .. import metrics
from ..events import Event
from ..live import LiveFeed
from ..pipeline import QueueUnavailable
from .consumer import ConsumerSettings, Sink, SinkConsumer
from .stream import EventStream, QueueFull

log = logging.getLogger(__name__)


class StreamPipeline:
    """POSTs append to the stream (durable on return); consumers drain it into the sinks.

    The database sink's consumer publishes what it newly stored to the live feed, which
    every collector process relays to its own dashboards.
    """

    def __init__(
        self,
        stream: EventStream,
        sinks: Sequence[Sink],
        live: LiveFeed,
        settings: ConsumerSettings,
        *,
        trim_interval_s: float = 5.0,
    ):
        self.stream = stream
        self.live = live
        self.consumers = [
            SinkConsumer(
                stream,
                sink,
                settings,
                on_persisted=live.publish if sink.name == "database" else None,
            )
            for sink in sinks
        ]
        self.trim_interval_s = trim_interval_s
        self._tasks: set[asyncio.Task[Any]] = set()

    async def start(self) -> None:
        """Start one consumer task per sink (each creates its group), plus the trimmer."""
        for consumer in self.consumers:
            self._spawn(consumer.run(), f"progress-tracker-consume-{consumer.group}")
        self._spawn(self._trim_forever(), "progress-tracker-trim")

    def _spawn(self, coroutine: Any, name: str) -> None:
        task = asyncio.get_running_loop().create_task(coroutine, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def accept(self, events: Sequence[Event]) -> None:
        """Append to the stream; on return every event is in Redis."""
        try:
            await self.stream.append(events)
        except QueueFull as err:
            raise QueueUnavailable(f"The event queue is full ({err}).", retry_after_s=10) from err
        except (RedisError, OSError) as err:
            raise QueueUnavailable(
                f"The event queue is unreachable ({type(err).__name__})."
            ) from err

    async def _trim_forever(self) -> None:
        groups = [consumer.group for consumer in self.consumers]
        while True:
            await asyncio.sleep(self.trim_interval_s)
            try:
                await self.stream.trim_consumed(groups)
                depth = await self.stream.depth(groups)
                for group, info in depth["groups"].items():
                    metrics.QUEUE_DEPTH.labels(group).set((info["lag"] or 0) + info["pending"])
            except (RedisError, OSError) as err:
                log.warning("progress_tracker: queue bookkeeping failed: %s", err)

    async def health(self) -> dict[str, Any]:
        """Queue depth, pending and dead letters, and each sink's last error."""
        groups = [consumer.group for consumer in self.consumers]
        report: dict[str, Any] = {"pipeline": "redis"}
        try:
            report["queue"] = await self.stream.depth(groups)
        except (RedisError, OSError) as err:
            report["queue"] = {"error": f"{type(err).__name__}: {err}"}
        report["sinks"] = {consumer.group: consumer.report() for consumer in self.consumers}
        return report

    async def stop(self, timeout_s: float = 10) -> None:
        """Cancel the consumers (unacknowledged entries stay pending for the next start)."""
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=timeout_s)


async def connect_redis(url: str) -> Redis:
    """A Redis client for the queue (bytes replies, health-checked connections)."""
    return Redis.from_url(url, decode_responses=False, health_check_interval=30)
