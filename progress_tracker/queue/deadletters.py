"""Dead letters: entries a sink rejected for good, kept with their error to inspect and replay.

Also the operators' command line: `python -m progress_tracker.queue.deadletters list|replay`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from .keys import StreamKeys

if TYPE_CHECKING:
    from .stream import EventStream

FIELD = b"event"  # an entry holding one event (a dead letter put back on the stream)


@dataclass(frozen=True)
class DeadLetter:
    """An entry (or one event of it) that a sink rejected for good, with the reason."""

    entry_id: str
    raw: bytes | None
    error: str


class DeadLetters:
    """The dead-letter stream of one deployment."""

    def __init__(self, redis: Redis, keys: StreamKeys, stream: EventStream | None = None):
        self.redis = redis
        self.keys = keys
        self.stream = stream

    async def add(self, entry_id: str, raw: bytes | None, error: str, sink: str) -> None:
        """Keep a failed entry with its error, for operators to inspect and replay."""
        await self.redis.xadd(self.keys.dead, _fields(DeadLetter(entry_id, raw, error), sink))

    def queue_add(self, pipe: Pipeline, letter: DeadLetter, sink: str) -> None:
        """Add a dead letter as part of a transaction (with the acknowledgement of its entry)."""
        pipe.xadd(self.keys.dead, _fields(letter, sink))

    async def list(self, count: int = 100) -> list[dict[str, Any]]:
        """The oldest dead letters, decoded for display."""
        entries = await self.redis.xrange(self.keys.dead, count=count)
        letters = []
        for entry_id, fields in entries:
            raw = fields.get(b"event", b"")
            try:
                event: Any = json.loads(raw)
            except ValueError:
                event = raw.decode("utf-8", "replace")
            letters.append(
                {
                    "id": _text(entry_id),
                    "entry": _text(fields.get(b"entry", b"")),
                    "sink": _text(fields.get(b"sink", b"")),
                    "error": _text(fields.get(b"error", b"")),
                    "failedAt": float(fields.get(b"failed_at", b"0") or 0),
                    "event": event,
                }
            )
        return letters

    async def replay(self, ids: Sequence[str] | None = None) -> int:
        """Put dead letters back on the stream (all, or those named) and remove them."""
        entries = await self.redis.xrange(self.keys.dead)
        wanted = set(ids) if ids else None
        replayed = 0
        for entry_id, fields in entries:
            if wanted is not None and _text(entry_id) not in wanted:
                continue
            payload = fields.get(b"event", b"")
            if self.stream is not None:  # within the queue's bounds, counted in its bytes
                await self.stream.append_field(FIELD, payload)
            else:
                await self.redis.xadd(self.keys.events, {FIELD: payload})
            await self.redis.xdel(self.keys.dead, entry_id)
            replayed += 1
        return replayed


def _fields(letter: DeadLetter, sink: str) -> dict[str, Any]:
    return {
        "entry": letter.entry_id,
        "sink": sink,
        "error": letter.error[:2000],
        "event": letter.raw or b"",
        "failed_at": str(time.time()),
    }


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


async def _main(args: argparse.Namespace) -> int:
    redis = Redis.from_url(args.redis_url)
    try:
        dead = DeadLetters(redis, StreamKeys(args.prefix))
        if args.command == "list":
            print(json.dumps(await dead.list(args.limit), indent=2))
        else:
            print(json.dumps({"replayed": await dead.replay(args.ids or None)}))
    finally:
        await redis.aclose()
    return 0


def main(argv: list[str] | None = None) -> int:
    """List or replay the dead letters of a deployment."""
    parser = argparse.ArgumentParser(prog="python -m progress_tracker.queue.deadletters")
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379")
    )
    parser.add_argument("--prefix", default="progress-tracker", help="redis_key_prefix")
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="print the oldest dead letters as JSON")
    listing.add_argument("--limit", type=int, default=100)
    replay = sub.add_parser("replay", help="put dead letters back on the queue")
    replay.add_argument("ids", nargs="*", help="dead-letter ids (default: all)")
    return asyncio.run(_main(parser.parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
