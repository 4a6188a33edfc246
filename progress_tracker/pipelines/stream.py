"""The collector's pipeline: accept into a Redis Stream, persist through one consumer per sink.

A 202 means the batch is in a Redis that was verified to persist (see `queue/durability.py`),
and fsynced too when `c.EventQueue.wait_for_fsync` is set.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError

from .. import metrics
from ..config.queue import ConsumerSettings, QueueSettings
from ..errors import Unavailable
from ..events import Event
from ..live.feed import LiveFeed
from ..queue.consumer import SinkConsumer
from ..queue.durability import NotDurable, QueueGuard
from ..queue.health import group_report
from ..queue.stream import EventStream, QueueFull, QueueUnverified
from ..sinks import Sink
from ..tasks import pause, raise_if_cancelled

if TYPE_CHECKING:
    from ..tasks import BackgroundTasks

log = logging.getLogger(__name__)


class StreamPipeline:
    """POSTs append to the stream (durable on return); consumers drain it into the sinks.

    The database sink's consumer announces what it stored on the live feed, which every
    collector process follows for its own dashboards. Sinks of one name are concurrent writers
    of one sink: a consumer each, in the sink's one consumer group.
    """

    def __init__(
        self,
        stream: EventStream,
        sinks: Sequence[Sink],
        live: LiveFeed,
        settings: ConsumerSettings,
        *,
        queue: QueueSettings | None = None,
        where: str = "redis",
        trim_interval_s: float = 5.0,
    ):
        self.stream = stream
        self.live = live
        self.queue = queue or QueueSettings()
        self.guard = QueueGuard(stream.redis, stream.keys, self.queue, where)
        self.consumers = [
            SinkConsumer(
                stream,
                sink,
                settings,
                on_persisted=live.publish if sink.name == "database" else None,
                on_group_lost=self.guard.check_epoch,
            )
            for sink in sinks
        ]
        self.groups = list(dict.fromkeys(consumer.group for consumer in self.consumers))
        self.trim_interval_s = trim_interval_s
        self.warnings: list[str] = []  # set at start (e.g. Redis needs no password)

    async def start(self, tasks: BackgroundTasks) -> None:
        """Verify the queue persists (NotDurable otherwise), then start the consumers."""
        await self.guard.verify()
        for group in self.groups:
            writers = self._writers_of(group)
            for number, consumer in enumerate(writers, 1):
                of = group if len(writers) == 1 else f"{group}-{number}"
                tasks.supervise(consumer.run, name=f"progress-tracker-consume-{of}")
                tasks.supervise(consumer.membership.run, name=f"progress-tracker-heartbeat-{of}")
        tasks.supervise(self._bookkeeping_forever, name="progress-tracker-queue-bookkeeping")
        tasks.supervise(self.guard.check_forever, name="progress-tracker-queue-durability")

    def _writers_of(self, group: str) -> list[SinkConsumer]:
        return [consumer for consumer in self.consumers if consumer.group == group]

    async def accept(self, events: Sequence[Event]) -> None:
        """Append to the stream; on return every event is in a Redis that persists."""
        try:
            try:
                await self.stream.append(events)
            except QueueUnverified:
                # Redis restarted without our data (or it is new): check it before trusting it.
                await self.guard.verify()
                await self.stream.append(events)
            if self.queue.wait_for_fsync:
                await self._wait_for_fsync()
        except NotDurable as err:
            raise Unavailable(str(err), retry_after_s=30) from err
        except QueueFull as err:
            raise Unavailable(f"The event queue is full ({err}).", retry_after_s=10) from err
        except (RedisError, OSError) as err:
            raise Unavailable(f"The event queue is unreachable ({type(err).__name__}).") from err

    async def _wait_for_fsync(self) -> None:
        local, _ = await self.stream.redis.execute_command(
            "WAITAOF", 1, 0, self.queue.fsync_timeout_ms
        )
        if int(local) < 1:
            raise Unavailable("Redis did not confirm writing the batch to disk in time.")

    async def _bookkeeping_forever(self) -> None:
        groups = self.groups
        while True:
            raise_if_cancelled()
            try:
                await self.stream.trim_consumed(groups)
                depth = await self.stream.depth(groups)
                waiting = 0
                for group, info in depth["groups"].items():
                    behind = (info["lag"] or 0) + info["pending"]
                    waiting = max(waiting, behind)
                    metrics.QUEUE_DEPTH.labels(group).set(behind)
                    metrics.QUEUE_OLDEST_AGE.labels(group).set(info["oldestWaitingAgeS"])
                metrics.QUEUE_BYTES.set(depth["streamBytes"])
                await self.guard.observe(await self.stream.entries_added(), waiting)
            except (RedisError, OSError) as err:
                log.warning("progress_tracker: queue bookkeeping failed: %s", err)
            await pause(self.trim_interval_s)

    async def health(self) -> dict[str, Any]:
        """Queue depth and durability, each sink's state, and what an operator must know."""
        groups = self.groups
        report: dict[str, Any] = {"pipeline": "redis"}
        try:
            report["queue"] = await self.stream.depth(groups)
        except (RedisError, OSError) as err:
            report["queue"] = {"error": f"{type(err).__name__}: {err}"}
        report["queue"]["durability"] = self.guard.report()
        report["sinks"] = {
            group: group_report([c.report() for c in self._writers_of(group)]) for group in groups
        }
        report["warnings"] = [*self.warnings, *self.guard.warnings()] + [
            f"{group}: {sink['lastError']}"
            for group, sink in report["sinks"].items()
            if sink["lastError"]
        ]
        return report

    async def stop(self) -> None:
        """Nothing of its own: the consumers are tasks of the server's BackgroundTasks."""
