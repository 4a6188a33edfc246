"""Operators' command line of the privacy stage.

    python -m progress_tracker.privacy [--config FILE] purge [--dry-run]
    python -m progress_tracker.privacy [--config FILE] export USER [--output FILE]
    python -m progress_tracker.privacy [--config FILE] erase USER --yes
    python -m progress_tracker.privacy [--config FILE] progsnap2 COURSE --output FILE.zip

It reads the same configuration file as the collector (`jupyter_server_config.py`: the
`c.Privacy`, `c.InfluxDB`, `c.EventQueue` sections and `c.ProgressTracker.database_url`,
`redis_url`, `pseudonym_secret`); options and environment variables override it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from jupyter_core.paths import jupyter_data_dir
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from ..config import EventQueue, InfluxDB, Privacy


def _config(path: str | None) -> Config:
    if not path:
        return Config()
    file = Path(path).expanduser().resolve()
    return PyFileConfigLoader(file.name, path=str(file.parent)).load_config()


def _tracker(config: Config, name: str, env: str, default: str = "") -> str:
    value = config.ProgressTracker.get(name) if "ProgressTracker" in config else None
    return str(value or os.environ.get(env, "") or default)


async def _run(args: argparse.Namespace) -> Any:
    from ..store.engine import create_engine
    from ..store.migrations import upgrade_to_head
    from .service import PrivacyService

    config = _config(args.config)
    data_dir = Path(jupyter_data_dir()) / "progress_tracker"
    url = args.database_url or _tracker(
        config,
        "database_url",
        "DATABASE_URL",
        f"sqlite+aiosqlite:///{data_dir / 'progress.sqlite'}",
    )
    redis_url = args.redis_url or _tracker(config, "redis_url", "REDIS_URL")
    secret = _tracker(config, "pseudonym_secret", "PROGRESS_TRACKER_PSEUDONYM_SECRET")
    key_file = data_dir / "pseudonym.key"

    def key() -> bytes:
        if secret:
            return secret.encode()
        return key_file.read_text().strip().encode() if key_file.exists() else b""

    engine = create_engine(url)
    redis = None
    try:
        await upgrade_to_head(engine)
        redis_data = None
        if redis_url:
            from ..queue.connection import connect
            from ..queue.keys import StreamKeys
            from .redis_data import RedisSubjectData

            redis = connect(redis_url)
            prefix = EventQueue(config=config).settings().key_prefix
            redis_data = RedisSubjectData(redis, StreamKeys(prefix))
        service = PrivacyService(
            engine,
            Privacy(config=config).settings(),
            influx=InfluxDB(config=config).settings(),
            redis_data=lambda: redis_data,
            pseudonym_key=key,
        )
        if args.command == "purge":
            return await service.purge(dry_run=args.dry_run)
        if args.command == "export":
            return await service.export_subject(args.user)
        if args.command == "erase":
            return await service.erase_subject(args.user)
        with open(args.output, "wb") as out:  # noqa: ASYNC230 (a command line: nothing else waits)
            rows = await service.progsnap2(args.course, out)
        return {"course": args.course, "events": rows, "output": args.output}
    finally:
        if redis is not None:
            await redis.aclose()
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """Run one privacy command; its report is printed as JSON."""
    parser = argparse.ArgumentParser(prog="python -m progress_tracker.privacy")
    parser.add_argument("--config", help="a jupyter_server_config.py to read the sections from")
    parser.add_argument("--database-url", help="default: the configuration, env DATABASE_URL")
    parser.add_argument("--redis-url", help="default: the configuration, env REDIS_URL")
    sub = parser.add_subparsers(dest="command", required=True)
    purge = sub.add_parser("purge", help="delete what is past its course's retention")
    purge.add_argument("--dry-run", action="store_true", help="print what would go, delete nothing")
    export = sub.add_parser("export", help="print everything stored about a student as JSON")
    export.add_argument("user")
    export.add_argument("--output", help="write to this file instead of printing")
    erase = sub.add_parser("erase", help="erase a student's data everywhere")
    erase.add_argument("user")
    erase.add_argument("--yes", action="store_true", help="required: erasure cannot be undone")
    progsnap = sub.add_parser("progsnap2", help="write a course's ProgSnap2 dataset (zip)")
    progsnap.add_argument("course")
    progsnap.add_argument("--output", required=True)
    args = parser.parse_args(argv)
    if args.command == "erase" and not args.yes:
        parser.error("erase needs --yes: it cannot be undone")
    report = asyncio.run(_run(args))
    text = json.dumps(report, indent=2, default=str)
    if args.command == "export" and args.output:
        Path(args.output).write_text(text)
        print(json.dumps({"userId": args.user, "output": args.output}))
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
