"""Consumers prove they are alive; entries of a dead one are taken over within seconds.

Each consumer refreshes a key with a time-to-live (`heartbeat_timeout_s`) every
`heartbeat_interval_s`, from a task of its own, so that a long write never looks like death.
A consumer of the group whose key has expired (and that has not touched the stream for as
long) died: a live consumer claims its unacknowledged entries (its own consume loop reads
them next) and, once it has none left, removes it from the group.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from .. import metrics
from ..config.queue import ConsumerSettings
from ..retry import Retrying
from ..tasks import pause, raise_if_cancelled
from .keys import StreamKeys

log = logging.getLogger(__name__)


class Membership:
    """One consumer's heartbeat, and its watch over the other consumers of its group."""

    def __init__(
        self, redis: Redis, keys: StreamKeys, group: str, name: str, settings: ConsumerSettings
    ):
        self.redis = redis
        self.keys = keys
        self.group = group
        self.name = name
        self.settings = settings
        self.reclaimed = 0
        self.removed = 0
        self._autoclaimed_at = time.monotonic()

    @property
    def _timeout_ms(self) -> int:
        return int(self.settings.heartbeat_timeout_s * 1000)

    async def beat(self) -> None:
        """Say this consumer is alive for the next heartbeat_timeout_s."""
        await self.redis.set(self.keys.heartbeat(self.group, self.name), 1, px=self._timeout_ms)

    async def run(self) -> None:
        """Beat and look after the group until cancelled; then say goodbye."""
        retrying = Retrying(self.settings.backoff)
        try:
            while True:
                raise_if_cancelled()
                try:
                    await self.beat()
                    await self.take_over_dead()
                    await self.take_over_stuck()
                    retrying.succeeded()
                    await pause(self.settings.heartbeat_interval_s)
                except (RedisError, OSError) as err:
                    log.debug("%s: heartbeat failed: %s", self.group, err)
                    await pause(retrying.failed())
        finally:
            await self._leave()

    async def take_over_dead(self) -> int:
        """Claim the entries of dead consumers, remove those with none left; entries claimed."""
        try:
            consumers = await self.redis.xinfo_consumers(self.keys.events, self.group)
        except ResponseError:  # no stream or no group (yet): the consume loop creates them
            return 0
        others = [c for c in consumers if _text(c["name"]) != self.name]
        if not others:
            return 0
        names = [_text(c["name"]) for c in others]
        beats = await self.redis.mget([self.keys.heartbeat(self.group, n) for n in names])
        claimed = 0
        for consumer, name, beat in zip(others, names, beats, strict=True):
            if beat is not None or int(consumer.get("idle", 0)) < self._timeout_ms:
                continue
            claimed += await self._take_over(name, int(consumer.get("pending", 0)))
        return claimed

    async def _take_over(self, dead: str, pending: int) -> int:
        if pending == 0:
            # Nothing left to claim: forget it (DELCONSUMER would drop pending entries).
            await self.redis.xgroup_delconsumer(self.keys.events, self.group, dead)
            self.removed += 1
            log.info("%s: removed dead consumer %s from the group", self.group, dead)
            return 0
        rows = await self.redis.xpending_range(
            self.keys.events, self.group, min="-", max="+", count=1000, consumername=dead
        )
        ids = [row["message_id"] for row in rows]
        if not ids:
            return 0
        # min_idle_time: of two consumers claiming at once, only the first gets each entry.
        claimed = await self.redis.xclaim(
            self.keys.events,
            self.group,
            self.name,
            min_idle_time=int(self.settings.heartbeat_interval_s * 1000),
            message_ids=ids,
            justid=True,
        )
        if claimed:
            self.reclaimed += len(claimed)
            metrics.ENTRIES_RECLAIMED.labels(self.group).inc(len(claimed))
            log.info("%s: took over %d entries of dead consumer %s", self.group, len(claimed), dead)
        return len(claimed)

    async def take_over_stuck(self) -> int:
        """Claim entries unacknowledged for claim_idle_ms by consumers that still beat (a wedged
        one); checked every quarter of that time."""
        if time.monotonic() - self._autoclaimed_at < self.settings.claim_idle_ms / 4000:
            return 0
        self._autoclaimed_at = time.monotonic()
        try:
            result = await self.redis.xautoclaim(
                self.keys.events,
                self.group,
                self.name,
                min_idle_time=self.settings.claim_idle_ms,
                start_id="0-0",
                count=1000,
                justid=True,
            )
        except ResponseError:
            return 0
        claimed = result[1] if result else []
        if claimed:
            self.reclaimed += len(claimed)
            metrics.ENTRIES_RECLAIMED.labels(self.group).inc(len(claimed))
            log.info("%s: took over %d entries idle for too long", self.group, len(claimed))
        return len(claimed)

    async def _leave(self) -> None:
        """Stopping: drop the heartbeat, so that others need not wait for it to expire."""
        try:
            await asyncio.wait_for(
                self.redis.delete(self.keys.heartbeat(self.group, self.name)), timeout=1
            )
        except (RedisError, OSError, TimeoutError, asyncio.CancelledError):
            pass


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
