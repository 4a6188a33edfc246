"""Command line for operators: `python -m progress_tracker.deadletters list|replay`."""

from __future__ import annotations

import argparse
import asyncio
import json
import os

from redis.asyncio import Redis

from .queue.stream import EventStream, StreamKeys


async def _main(args: argparse.Namespace) -> int:
    redis = Redis.from_url(args.redis_url)
    try:
        stream = EventStream(redis, StreamKeys(args.prefix), max_len=2**62)
        if args.command == "list":
            print(json.dumps(await stream.dead_letters(args.limit), indent=2))
        else:
            print(json.dumps({"replayed": await stream.replay_dead_letters(args.ids or None)}))
    finally:
        await redis.aclose()
    return 0


def main(argv: list[str] | None = None) -> int:
    """List or replay the dead letters of a deployment."""
    parser = argparse.ArgumentParser(prog="python -m progress_tracker.deadletters")
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
