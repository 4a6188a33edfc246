"""The collector's pipeline: accept into a Redis Stream, persist through one consumer per sink."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError

from .. import metrics
from ..config.queue import ConsumerSettings
from ..errors import Unavailable
from ..events import Event
from ..live.feed import LiveFeed
from ..queue.consumer import SinkConsumer
from ..queue.stream import EventStream, QueueFull
from ..sinks import Sink

if TYPE_CHECKING:
    from ..tasks import BackgroundTasks

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

    async def start(self, tasks: BackgroundTasks) -> None:
        """Start one supervised consumer per sink (each creates its group), plus the trimmer."""
        for consumer in self.consumers:
            tasks.supervise(consumer.run, name=f"progress-tracker-consume-{consumer.group}")
        tasks.supervise(self._trim_forever, name="progress-tracker-trim")

    async def accept(self, events: Sequence[Event]) -> None:
        """Append to the stream; on return every event is in Redis."""
        try:
            await self.stream.append(events)
        except QueueFull as err:
            raise Unavailable(f"The event queue is full ({err}).", retry_after_s=10) from err
        except (RedisError, OSError) as err:
            raise Unavailable(f"The event queue is unreachable ({type(err).__name__}).") from err

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

    async def stop(self) -> None:
        """Nothing of its own: the consumers are tasks of the server's BackgroundTasks."""
