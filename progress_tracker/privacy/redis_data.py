"""A student's data still in Redis: queued batches not yet stored, dead letters, live messages
and their per-user budget keys; read for an export and removed for an erasure.

Stream entries hold JSON arrays of wire-form events (`userId` set by the server). An entry that
holds other students' events too keeps them: it is replaced by an entry without the student's.
A consumer that had read a deleted entry acknowledges it (queue/consumer.py), so nothing of it
is stored afterwards.
"""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis

from ..queue.keys import StreamKeys

CHUNK = 500
# Deletes entries and subtracts their bytes from the stream's byte count (as TRIM does).
DELETE = """
local size = 0
for i, id in ipairs(ARGV) do
  local entry = redis.call('XRANGE', KEYS[1], id, id)
  if #entry == 1 then
    local fields = entry[1][2]
    for j = 2, #fields, 2 do
      size = size + string.len(fields[j])
    end
    redis.call('XDEL', KEYS[1], id)
  end
end
if KEYS[2] then
  local left = redis.call('DECRBY', KEYS[2], size)
  if left < 0 or redis.call('XLEN', KEYS[1]) == 0 then
    redis.call('SET', KEYS[2], 0)
  end
end
return size
"""


def _events(raw: bytes) -> list[Any] | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, list) else [value]


def _of(event: Any, user: str) -> bool:
    return isinstance(event, dict) and event.get("userId") == user


class RedisSubjectData:
    """Finds and removes one student's entries under one key prefix."""

    def __init__(self, redis: Redis, keys: StreamKeys):
        self.redis = redis
        self.keys = keys
        self._delete = redis.register_script(DELETE)

    async def _scan(self, stream: str, field: bytes, user: str) -> list[tuple[str, dict, list]]:
        """Entries of `stream` whose `field` holds an event of `user`, with all their events."""
        needle = json.dumps(user).encode()
        found: list[tuple[str, dict, list]] = []
        start = "-"
        while True:
            entries = await self.redis.xrange(stream, min=start, count=CHUNK)
            for entry_id, fields in entries:
                raw = fields.get(field, b"")
                events = _events(raw)
                if events is None:  # not JSON (poison): judged by the user's name in it
                    if needle in raw:
                        found.append((_text(entry_id), fields, []))
                elif any(_of(event, user) for event in events):
                    found.append((_text(entry_id), fields, events))
            if len(entries) < CHUNK:
                return found
            start = "(" + _text(entries[-1][0])

    async def export(self, user: str) -> dict[str, list[Any]]:
        """The student's queued events, dead letters and live messages."""
        queued = await self._scan(self.keys.events, b"events", user)
        queued += await self._scan(self.keys.events, b"event", user)
        dead = await self._scan(self.keys.dead, b"event", user)
        live = await self._scan(self.keys.live, b"events", user)
        return {
            "queued": [e for _, _, events in queued for e in events if _of(e, user)],
            "deadLetters": [
                {"id": entry_id, "error": _text(fields.get(b"error", b"")), "events": events}
                for entry_id, fields, events in dead
            ],
            "live": [e for _, _, events in live for e in events if _of(e, user)],
        }

    async def erase(self, user: str) -> dict[str, int]:
        """Remove the student's events from every stream and their budget keys."""
        removed = {"queued": 0, "deadLetters": 0, "live": 0, "keys": 0}
        for field in (b"events", b"event"):
            for entry_id, _fields, events in await self._scan(self.keys.events, field, user):
                others = [e for e in events if not _of(e, user)]
                if others:  # put the rest of the batch back first, so nothing else is lost
                    payload = json.dumps(others, separators=(",", ":"))
                    await self.redis.xadd(self.keys.events, {b"events": payload})
                    await self.redis.incrby(self.keys.events_bytes, len(payload.encode()))
                await self._delete(keys=[self.keys.events, self.keys.events_bytes], args=[entry_id])
                removed["queued"] += 1
        for entry_id, fields, events in await self._scan(self.keys.dead, b"event", user):
            others = [e for e in events if not _of(e, user)]
            if others:
                await self.redis.xadd(self.keys.dead, {**fields, b"event": json.dumps(others)})
            await self.redis.xdel(self.keys.dead, entry_id)
            removed["deadLetters"] += 1
        # Live messages are numbered: a deleted one is a gap, and dashboards reload their snapshot.
        for entry_id, _, _ in await self._scan(self.keys.live, b"events", user):
            await self.redis.xdel(self.keys.live, entry_id)
            removed["live"] += 1
        prefix = self.keys.prefix
        names = [f"{prefix}:budget:{user}", f"{prefix}:names:{user}"]
        async for key in self.redis.scan_iter(match=f"{_glob(prefix)}:cells:{_glob(user)}:*"):
            names.append(_text(key))
        removed["keys"] = int(await self.redis.delete(*names))
        return removed


def _glob(text: str) -> str:
    """`text` matched literally in a SCAN pattern."""
    return "".join("\\" + ch if ch in "*?[]\\" else ch for ch in text)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
