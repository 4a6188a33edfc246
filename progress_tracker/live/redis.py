"""Live fan-out across collector processes through Redis pub/sub."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from redis.asyncio import Redis
from redis.exceptions import RedisError

from ..events import Event
from ..retry import Backoff, Retrying
from .feed import LiveFeed

if TYPE_CHECKING:
    from ..tasks import BackgroundTasks

log = logging.getLogger(__name__)


class RedisLiveFeed(LiveFeed):
    """Publishes persisted events on a channel; relays the channel to this process's sockets."""

    def __init__(self, redis: Redis, channel: str):
        super().__init__()
        self.redis = redis
        self.channel = channel
        self._subscribed = asyncio.Event()

    async def publish(self, events: Sequence[Event]) -> None:
        """Announce to every collector process (including this one, via the relay)."""
        if not events:
            return
        payload = "[" + ",".join(event.to_json() for event in events) + "]"  # wire form
        try:
            await self.redis.publish(self.channel, payload)
        except (RedisError, OSError) as err:
            # The events are stored; dashboards will catch up through `since` on reconnect.
            log.warning("progress_tracker: live publish failed: %s", err)

    async def start(self, tasks: BackgroundTasks) -> None:
        """Subscribe and relay in the background."""
        tasks.supervise(self._relay_forever, name="progress-tracker-live-relay")
        try:
            await asyncio.wait_for(self._subscribed.wait(), timeout=2)
        except TimeoutError:
            log.warning("progress_tracker: live relay not subscribed yet; retrying")

    async def _relay_forever(self) -> None:
        retrying = Retrying(Backoff(initial_s=0.2, cap_s=2.0))
        while True:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                self._subscribed.set()
                retrying.succeeded()
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        self._relay(message["data"])
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as err:
                log.warning("progress_tracker: live relay lost Redis (%s); resubscribing", err)
                await asyncio.sleep(retrying.failed())
            finally:
                await pubsub.aclose()

    def _relay(self, data: bytes) -> None:
        try:
            events = json.loads(data)
        except ValueError as err:
            log.warning("progress_tracker: unreadable live message dropped: %s", err)
            return
        if isinstance(events, list):
            self.deliver(events)

    async def stop(self) -> None:
        """Forget local listeners (the relay task is stopped with the server's tasks)."""
        await super().stop()
