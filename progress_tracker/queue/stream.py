"""The Redis Stream of accepted events and its bookkeeping (groups, bounds, trimming, depth)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from ..events import Event
from .deadletters import FIELD, DeadLetters
from .keys import StreamKeys
from .scripts import APPEND, TRIM

BATCH_FIELD = b"events"  # an entry holding one accepted batch, as a JSON array
TRIM_CHUNK = 1000  # entries one trim script drops at most (Redis is busy while it runs)


class QueueFull(Exception):
    """The stream holds its maximum of unconsumed entries or bytes; producers must wait."""


class QueueUnverified(Exception):
    """Nobody verified this Redis's persistence since it (re)started; verify, then append."""


class EventStream:
    """Appends events atomically within bounds, creates groups, trims, reports depth."""

    def __init__(self, redis: Redis, keys: StreamKeys, *, max_len: int, max_bytes: int = 1024**3):
        self.redis = redis
        self.keys = keys
        self.max_len = max_len
        self.max_bytes = max_bytes
        self._append = redis.register_script(APPEND)
        self._trim = redis.register_script(TRIM)
        self.dead = DeadLetters(redis, keys, self)

    async def append(self, events: Sequence[Event]) -> str:
        """XADD the batch as one entry: one atomic command, so all of it is durable or none."""
        return await self.append_field(BATCH_FIELD, Event.many_to_json(events))

    async def append_field(self, field: bytes, payload: str | bytes) -> str:
        """Append one entry holding `payload`, within the bounds; QueueFull beyond them."""
        try:
            entry_id = await self._append(
                keys=[self.keys.events, self.keys.events_bytes, self.keys.verified],
                args=[self.max_len, self.max_bytes, field, payload],
            )
        except ResponseError as err:
            text = str(err)
            if text.startswith("UNVERIFIED"):
                raise QueueUnverified(text.removeprefix("UNVERIFIED ")) from err
            if text.startswith("QUEUEFULL"):
                raise QueueFull(text.removeprefix("QUEUEFULL ")) from err
            raise
        return _text(entry_id)

    async def ensure_group(self, group: str) -> None:
        """Create a consumer group reading the stream from its start (idempotent)."""
        try:
            await self.redis.xgroup_create(self.keys.events, group, id="0", mkstream=True)
        except ResponseError as err:
            if "BUSYGROUP" not in str(err):
                raise

    async def trim_consumed(self, groups: Sequence[str]) -> int:
        """Drop entries every group has acknowledged; never one still pending or unread."""
        floor = await self._consumed_floor(groups)
        if floor is None or floor == "0-0":
            return 0
        dropped = 0
        while True:
            count = int(
                await self._trim(
                    keys=[self.keys.events, self.keys.events_bytes], args=[floor, TRIM_CHUNK]
                )
            )
            dropped += count
            if count < TRIM_CHUNK:
                return dropped

    async def _consumed_floor(self, groups: Sequence[str]) -> str | None:
        """The oldest entry some group still needs (every entry before it is consumed)."""
        infos = await self._groups()
        floor: str | None = None
        for group in groups:
            info = infos.get(group)
            if info is None:
                return None
            pending = await self.redis.xpending(self.keys.events, group)
            oldest = _text(pending["min"]) if pending and pending.get("pending") else None
            cut = oldest or _next_id(_text(info["last-delivered-id"]))
            floor = cut if floor is None or id_key(cut) < id_key(floor) else floor
        return floor

    async def _groups(self) -> dict[str, dict[str, Any]]:
        try:
            return {
                _text(info["name"]): info
                for info in await self.redis.xinfo_groups(self.keys.events)
            }
        except ResponseError:  # no stream (yet, or any more)
            return {}

    async def entries_added(self) -> int | None:
        """How many entries were ever added to the stream (it goes back if the stream is lost)."""
        try:
            info = await self.redis.xinfo_stream(self.keys.events)
        except ResponseError:
            return 0
        added = info.get("entries-added")
        return int(added) if added is not None else None

    async def depth(self, groups: Sequence[str]) -> dict[str, Any]:
        """Stream length and bytes, per group pending, lag and oldest waiting entry, dead letters."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.xlen(self.keys.events)
            pipe.get(self.keys.events_bytes)
            pipe.xlen(self.keys.dead)
            length, size, dead = await pipe.execute()
        report: dict[str, Any] = {
            "streamLength": length,
            "streamBytes": int(size or 0),
            "deadLetters": dead,
            "groups": {},
        }
        infos = await self._groups()
        for name in groups:
            info = infos.get(name)
            if info is None:
                continue
            oldest = await self._oldest_waiting(name, info)
            report["groups"][name] = {
                "pending": info["pending"],
                "lag": info.get("lag"),
                "consumers": info["consumers"],
                "oldestWaitingAgeS": _age_s(oldest) if oldest else 0.0,
            }
        return report

    async def _oldest_waiting(self, group: str, info: dict[str, Any]) -> str | None:
        """The id of the oldest entry the group has not acknowledged (read or not)."""
        if info["pending"]:
            pending = await self.redis.xpending(self.keys.events, group)
            if pending and pending.get("min"):
                return _text(pending["min"])
        after = _text(info["last-delivered-id"])
        unread = await self.redis.xrange(self.keys.events, min=_next_id(after), count=1)
        return _text(unread[0][0]) if unread else None


def decode_entry(fields: dict[bytes, bytes]) -> list[Event]:
    """The events of a stream entry (a batch, or a single replayed event)."""
    if BATCH_FIELD in fields:
        return Event.many_from_json(fields[BATCH_FIELD])
    return [Event.from_json(fields.get(FIELD) or b"")]


def raw_entry(fields: dict[bytes, bytes]) -> bytes:
    """The payload of an entry, for a dead letter."""
    return fields.get(BATCH_FIELD) or fields.get(FIELD) or b""


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def id_key(entry_id: str) -> tuple[int, int]:
    """A stream id as a sortable pair."""
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


def _next_id(entry_id: str) -> str:
    ms, seq = id_key(entry_id)
    return f"{ms}-{seq + 1}"


def _age_s(entry_id: str) -> float:
    """Seconds since an entry was added (its id holds the time in milliseconds)."""
    return max(0.0, time.time() - id_key(entry_id)[0] / 1000)


__all__ = ["EventStream", "QueueFull", "QueueUnverified"]
