"""Claims and resolutions shared by the collector processes of one Redis, over pub/sub.

The process whose handler made a change tells its own sockets at once (`HelpNotices.tell`) and
publishes the entry, with its own origin, on `<prefix>:help`; every process subscribes and
hands the entries of other origins to its sockets, so each socket hears each change once
(its process's own publications come back to it and are skipped). Pub/sub keeps nothing: while
Redis is unreachable a change reaches only the sockets of its own process, a warning is logged,
and the other dashboards see it at their next refresh of the queue (30 s, docs/help.md).
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from typing import TYPE_CHECKING, Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from ..queue.keys import StreamKeys
from ..retry import Backoff, Retrying
from ..tasks import pause, raise_if_cancelled
from .notices import HelpNotices, notices_of

if TYPE_CHECKING:
    from ..tasks import BackgroundTasks

log = logging.getLogger(__name__)

# Changes waiting to be published; past this (Redis hangs) new ones are dropped with a warning.
OUTBOX_LIMIT = 1000


class RedisHelpRelay:
    """Publishes this process's help queue changes and delivers the other processes' ones."""

    def __init__(
        self,
        redis: Redis,
        channel: str,
        notices: HelpNotices,
        *,
        backoff: Backoff | None = None,
    ):
        self.redis = redis
        self.channel = channel
        self.notices = notices
        self.backoff = backoff or Backoff()
        self.origin = uuid.uuid4().hex  # this process's publications, recognised when they return
        self.subscribed = asyncio.Event()
        self._outbox: asyncio.Queue[str] = asyncio.Queue(maxsize=OUTBOX_LIMIT)

    @classmethod
    def of(cls, runtime: Any) -> RedisHelpRelay:
        """The relay of a collector runtime (its Redis client, key prefix and backoff)."""
        settings = runtime.settings
        return cls(
            runtime.redis,
            StreamKeys(settings.queue.key_prefix).help_channel,
            notices_of(runtime),
            backoff=settings.consumer.backoff,
        )

    def send(self, entry: dict[str, Any]) -> None:
        """Queue a change for the other processes; never waits, so no answer depends on Redis."""
        try:
            self._outbox.put_nowait(json.dumps({"origin": self.origin, "entry": entry}))
        except asyncio.QueueFull:
            log.warning("progress_tracker: too many help queue changes unpublished; one dropped")

    async def start(self, tasks: BackgroundTasks) -> None:
        """Publish and subscribe in the background; wait (briefly) until subscribed."""
        self.notices.relay = self.send
        tasks.supervise(self._publish_forever, name="progress-tracker-help-publish")
        tasks.supervise(self._subscribe_forever, name="progress-tracker-help-subscribe")
        try:
            await asyncio.wait_for(self.subscribed.wait(), timeout=2)
        except TimeoutError:
            log.warning("progress_tracker: not subscribed to help queue changes yet; retrying")

    async def stop(self) -> None:
        """Publish nothing more (the runtime's tasks, cancelled by it, were the loops)."""
        if self.notices.relay == self.send:
            self.notices.relay = None

    async def _publish_forever(self) -> None:
        while True:
            raise_if_cancelled()
            payload = await self._outbox.get()
            try:
                await self.redis.publish(self.channel, payload)
            except (RedisError, OSError) as err:
                # Dropped, not retried: the other dashboards read the queue again within 30 s,
                # and a late claim arriving after a newer change would show an old state.
                log.warning(
                    "progress_tracker: a help queue change reached only this process's "
                    "dashboards (Redis: %s); the others see it at their next refresh",
                    err,
                )

    async def _subscribe_forever(self) -> None:
        retrying = Retrying(self.backoff)
        while True:
            raise_if_cancelled()
            pubsub = self.redis.pubsub()
            try:
                await pubsub.subscribe(self.channel)
                while True:
                    raise_if_cancelled()
                    message = await pubsub.get_message(timeout=1.0)
                    if message is not None:
                        self._on_message(message)
                        retrying.succeeded()
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as err:
                self.subscribed.clear()
                log.warning("progress_tracker: help queue changes unreachable (%s); retrying", err)
                await pause(retrying.failed())
            finally:
                await _close(pubsub)

    def _on_message(self, message: dict[str, Any]) -> None:
        if message["type"] == "subscribe":  # also after redis-py reconnected by itself
            self.subscribed.set()
            return
        if message["type"] != "message":
            return
        try:
            received = json.loads(message["data"])
            origin, entry = received["origin"], received["entry"]
            if not all(key in entry for key in ("id", "course", "section")):
                raise ValueError("not a help entry")
        except (ValueError, TypeError, KeyError) as err:
            log.warning("progress_tracker: an unreadable help queue change was ignored (%s)", err)
            return
        if origin != self.origin:  # this process told its own sockets when it made the change
            self.notices.deliver(entry)


async def _close(pubsub: Any) -> None:
    try:
        await pubsub.aclose()
    except (RedisError, OSError):
        log.debug("progress_tracker: closing the help subscription failed", exc_info=True)
