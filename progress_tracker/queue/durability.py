"""Whether a 202 is a promise: the queue's Redis must persist (AOF), checked at start and while running.

Redis without AOF (persistence off, or RDB snapshots only) loses every entry written since its
last snapshot when it restarts: events answered 202 but not yet stored would be gone. So the
collector refuses such a Redis unless the operator accepts a volatile queue. It also notices
when Redis lost its data anyway (the epoch key is gone, or the stream's ids went back) and
says so: how many waiting entries it knows were lost, and that later ones cannot be counted.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from .. import metrics
from ..config.queue import QueueSettings
from ..tasks import pause
from .keys import StreamKeys

log = logging.getLogger(__name__)

WAITAOF_SINCE = (7, 2)


class NotDurable(Exception):
    """The queue's Redis does not persist (or cannot be checked); the message names the fix."""

    names_the_fix = True


@dataclass(frozen=True)
class Persistence:
    """What Redis says about its persistence."""

    version: tuple[int, ...]
    appendonly: bool
    appendfsync: str | None  # None when CONFIG GET is not allowed
    source: str

    @property
    def waitaof(self) -> bool:
        """Whether this Redis knows WAITAOF (7.2 or later)."""
        return self.version[:2] >= WAITAOF_SINCE


async def inspect(redis: Redis) -> Persistence:
    """Ask Redis: CONFIG GET, or INFO persistence where CONFIG is not allowed (managed Redis)."""
    server = await redis.info("server")
    version = tuple(int(part) for part in str(server.get("redis_version", "0")).split(".")[:3])
    try:
        config = await redis.config_get("append*")
    except ResponseError:  # NOPERM, or CONFIG renamed away
        persistence = await redis.info("persistence")
        return Persistence(version, bool(int(persistence.get("aof_enabled", 0))), None, "INFO")
    appendonly = _text(config.get("appendonly", "no")) == "yes"
    return Persistence(version, appendonly, _text(config.get("appendfsync", "")), "CONFIG GET")


def judge(persistence: Persistence, settings: QueueSettings, where: str) -> str:
    """'aof' or 'volatile' (accepted); NotDurable with the fix when the settings refuse it."""
    version = ".".join(str(part) for part in persistence.version)
    if settings.wait_for_fsync and not persistence.waitaof:
        raise NotDurable(
            f"c.EventQueue.wait_for_fsync needs WAITAOF (Redis 7.2 or later), but Redis at "
            f"{where} is {version}. Upgrade Redis, or set `appendfsync always` there and "
            "c.EventQueue.wait_for_fsync = False."
        )
    if persistence.appendonly:
        return "aof"
    if settings.allow_volatile:
        return "volatile"
    raise NotDurable(
        f"Redis at {where} does not persist the queue (appendonly is off): a Redis restart "
        "would lose every event answered 202 but not stored yet. Turn AOF on (`appendonly yes` "
        "in redis.conf, or CONFIG SET appendonly yes), or accept a volatile queue with "
        "c.EventQueue.allow_volatile = True. See docs/backends.md."
    )


@dataclass
class Loss:
    """A loss of the queue's data, as far as it can be known."""

    at: float
    known_entries: int
    message: str


@dataclass
class GuardState:
    """What the guard knows, for health and /metrics."""

    mode: str | None = None  # 'aof' or 'volatile' once verified
    persistence: Persistence | None = None
    problem: str | None = None
    checked_at: float | None = None
    losses: list[Loss] = field(default_factory=list)


class QueueGuard:
    """Verifies persistence, flags verified Redis for appends, and notices lost data."""

    def __init__(self, redis: Redis, keys: StreamKeys, settings: QueueSettings, where: str):
        self.redis = redis
        self.keys = keys
        self.settings = settings
        self.where = where
        self.state = GuardState()
        self._lock = asyncio.Lock()
        self._epoch: str | None = None
        self._entries_added: int | None = None
        self._waiting = 0  # entries unconsumed by some group at the last look

    async def verify(self) -> str:
        """Check persistence now; mark Redis verified, or unmark it and raise NotDurable."""
        async with self._lock:
            persistence = await inspect(self.redis)
            self.state.persistence = persistence
            self.state.checked_at = time.time()
            try:
                mode = judge(persistence, self.settings, self.where)
            except NotDurable as err:
                if self.state.problem != str(err):
                    log.error("progress_tracker: %s", err)
                self.state.problem = str(err)
                await self.redis.delete(self.keys.verified)
                metrics.QUEUE_DURABLE.set(0)
                raise
            await self._check_epoch()
            await self.redis.set(self.keys.verified, mode)
            if self.state.mode != mode and mode == "volatile":
                log.warning(
                    "progress_tracker: the queue is VOLATILE (c.EventQueue.allow_volatile): "
                    "Redis at %s does not persist, a restart loses accepted events",
                    self.where,
                )
            self.state.mode, self.state.problem = mode, None
            metrics.QUEUE_DURABLE.set(1 if mode == "aof" else 0)
            metrics.QUEUE_VOLATILE.set(1 if mode == "volatile" else 0)
            return mode

    async def check_forever(self) -> None:
        """Verify every `durability_check_interval_s` (a Redis reconfigured or restarted)."""
        while True:
            await pause(self.settings.durability_check_interval_s)
            try:
                await self.verify()
            except NotDurable:
                pass  # logged; appends refuse until it is fixed
            except (RedisError, OSError) as err:
                log.warning("progress_tracker: cannot check the queue's persistence: %s", err)

    async def _check_epoch(self) -> bool:
        """Create the epoch key, or notice that it changed (Redis lost its data)."""
        epoch = _text(await self.redis.get(self.keys.epoch) or b"")
        if not epoch:
            await self.redis.set(self.keys.epoch, uuid.uuid4().hex, nx=True)
            epoch = _text(await self.redis.get(self.keys.epoch) or b"")
        lost = self._epoch is not None and epoch != self._epoch
        self._epoch = epoch
        if lost:
            self._lost("Redis lost its data (restarted without persistence, or flushed)")
        return lost

    async def check_epoch(self) -> bool:
        """Whether Redis lost its data since the last look (counted once as a loss)."""
        async with self._lock:
            return await self._check_epoch()

    async def observe(self, entries_added: int | None, waiting: int) -> None:
        """Bookkeeping: the stream's added-entries counter and how many entries wait."""
        async with self._lock:
            if not await self._check_epoch() and (
                entries_added is not None
                and self._entries_added is not None
                and entries_added < self._entries_added
            ):
                self._lost("the event stream started again (its entry counter went back)")
            self._entries_added = entries_added
            self._waiting = waiting

    def _lost(self, cause: str) -> None:
        known = self._waiting
        message = (
            f"The queue lost its data: {cause}. {known} accepted entries that waited for a sink "
            "at the last check are lost, and entries accepted after that check cannot be counted."
        )
        log.error("progress_tracker: %s", message)
        self.state.losses.append(Loss(time.time(), known, message))
        self._entries_added = None
        self._waiting = 0
        metrics.QUEUE_LOSSES.inc()

    def report(self) -> dict[str, Any]:
        """Durability and losses, for health."""
        persistence = self.state.persistence
        return {
            "mode": self.state.mode,
            "problem": self.state.problem,
            "appendonly": persistence.appendonly if persistence else None,
            "appendfsync": persistence.appendfsync if persistence else None,
            "waitForFsync": self.settings.wait_for_fsync,
            "waitaofSupported": persistence.waitaof if persistence else None,
            "checkedAt": self.state.checked_at,
            "waitingAtLastLook": self._waiting,
            "losses": [
                {"at": loss.at, "knownEntries": loss.known_entries, "message": loss.message}
                for loss in self.state.losses[-10:]
            ],
        }

    def warnings(self) -> list[str]:
        """What an operator must know about the queue now."""
        found = []
        if self.state.problem:
            found.append(self.state.problem)
        if self.state.mode == "volatile":
            found.append(
                f"The queue is volatile: Redis at {self.where} does not persist, so a Redis "
                "restart loses events that were answered 202 but not stored yet."
            )
        found += [loss.message for loss in self.state.losses[-3:]]
        return found


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
