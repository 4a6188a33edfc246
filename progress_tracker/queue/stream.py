"""The Redis Stream of accepted events and its bookkeeping (groups, trimming, depth)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from ..events import Event
from .deadletters import FIELD, DeadLetters
from .keys import StreamKeys

BATCH_FIELD = b"events"  # an entry holding one accepted batch, as a JSON array


class QueueFull(Exception):
    """The stream holds `max_len` unconsumed entries; producers must wait."""


class EventStream:
    """Appends events atomically, creates groups, trims what every group consumed, reports depth."""

    def __init__(self, redis: Redis, keys: StreamKeys, *, max_len: int):
        self.redis = redis
        self.keys = keys
        self.max_len = max_len
        self.dead = DeadLetters(redis, keys)

    async def append(self, events: Sequence[Event]) -> str:
        """XADD the batch as one entry: one atomic command, so all of it is durable or none."""
        if await self.redis.xlen(self.keys.events) >= self.max_len:
            raise QueueFull(f"the queue holds its maximum of {self.max_len} batches")
        payload = "[" + ",".join(event.to_json() for event in events) + "]"
        return _text(await self.redis.xadd(self.keys.events, {BATCH_FIELD: payload}))

    async def ensure_group(self, group: str) -> None:
        """Create a consumer group reading the stream from its start (idempotent)."""
        try:
            await self.redis.xgroup_create(self.keys.events, group, id="0", mkstream=True)
        except ResponseError as err:
            if "BUSYGROUP" not in str(err):
                raise

    async def trim_consumed(self, groups: Sequence[str]) -> int:
        """Drop entries every group has acknowledged; never one still pending or unread."""
        floor: str | None = None
        try:
            infos = {
                _text(info["name"]): info
                for info in await self.redis.xinfo_groups(self.keys.events)
            }
        except ResponseError:
            return 0
        for group in groups:
            info = infos.get(group)
            if info is None:
                return 0
            pending = await self.redis.xpending(self.keys.events, group)
            oldest = _text(pending["min"]) if pending and pending.get("pending") else None
            cut = oldest or _next_id(_text(info["last-delivered-id"]))
            floor = cut if floor is None or _id_key(cut) < _id_key(floor) else floor
        if floor is None or floor == "0-0":
            return 0
        return int(await self.redis.xtrim(self.keys.events, minid=floor, approximate=False))

    async def depth(self, groups: Sequence[str]) -> dict[str, Any]:
        """Stream length, per-group pending and lag, and dead-letter count."""
        report: dict[str, Any] = {
            "streamLength": await self.redis.xlen(self.keys.events),
            "deadLetters": await self.redis.xlen(self.keys.dead),
            "groups": {},
        }
        try:
            infos = await self.redis.xinfo_groups(self.keys.events)
        except ResponseError:
            infos = []
        for info in infos:
            name = _text(info["name"])
            if name in groups:
                report["groups"][name] = {
                    "pending": info["pending"],
                    "lag": info.get("lag"),
                    "consumers": info["consumers"],
                }
        return report


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


def _id_key(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


def _next_id(entry_id: str) -> str:
    ms, seq = _id_key(entry_id)
    return f"{ms}-{seq + 1}"


__all__ = ["EventStream", "QueueFull"]
