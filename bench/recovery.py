"""Recovery benchmark: how long a collector takes to drain the backlog of a fault, once it ends.

Starts a PostgreSQL and a Redis (with AOF) of its own and one collector on them, lets a few
browser-like students post, injects each fault in turn (Redis SIGKILL and SIGTERM, PostgreSQL
stopped fast and immediate, INSERT revoked, a read-only fail-over), and prints, per fault, the
backlog, how long after the fault's end it was stored and seen on a dashboard's socket, and
whether anything was lost or stored twice. Nothing is asserted (tests/services/test_faults.py
asserts the 5 s bound).

    .venv/bin/python bench/recovery.py [--students 4] [--fault-seconds 3] [--faults ...]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "services")]

from fault_kit import Dashboard, Student, notebook
from postgres import OwnedDatabase, PrivatePostgres, postgres_bin
from redis_server import PrivateRedis
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from tests.jupyter_process import JupyterServer

Step = Callable[[], Awaitable[None]]


async def stored_ids(database: OwnedDatabase) -> list[str]:
    url = database.url.replace(f"{database.role}@", "postgres@", 1)
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            return [
                row[0] for row in await conn.execute(text("SELECT event_id FROM cell_executions"))
            ]
    except (OSError, SQLAlchemyError):
        return []
    finally:
        await engine.dispose()


async def until(check: Callable[[], Awaitable[bool]], timeout: float = 120) -> float:
    """Wait for `check`; the moment it held (monotonic)."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise TimeoutError("not within the benchmark's patience")
        await asyncio.sleep(0.02)
    return time.monotonic()


async def one_fault(
    name: str, inject: Step, end: Step, server: JupyterServer, db: OwnedDatabase, args
) -> None:
    students = [Student(server, notebook()) for _ in range(args.students)]
    dashboard = Dashboard(server)
    await dashboard.snapshot()
    tasks = [asyncio.create_task(s.run()) for s in [*students, dashboard]]

    async def flowing() -> bool:
        return all(len(s.acknowledged) >= 10 for s in students)

    await until(flowing)
    await inject()
    await asyncio.sleep(args.fault_seconds)  # the fault lasts this long (load pacing, no sync)
    await end()
    ended = time.monotonic()
    backlog = set().union(*(s.acknowledged_by(ended) for s in students))

    async def backlog_stored() -> bool:
        return backlog <= set(await stored_ids(db))

    async def backlog_seen() -> bool:
        return backlog <= dashboard.ids

    stored_at = await until(backlog_stored)
    seen_at = await until(backlog_seen)
    for student in students:
        student.stopping = True
    await asyncio.wait(tasks[:-1], timeout=60)
    acknowledged = set().union(*(s.acknowledged_by(time.monotonic()) for s in students))

    async def all_stored() -> bool:
        return acknowledged <= set(await stored_ids(db))

    await until(all_stored)
    ids = await stored_ids(db)
    tasks[-1].cancel()
    await asyncio.wait(tasks[-1:])
    print(
        f"{name:28} backlog {len(backlog):5} events: stored {stored_at - ended:5.2f} s and on the "
        f"dashboard {seen_at - ended:5.2f} s after the fault ended; "
        f"{len(acknowledged - set(ids))} lost, {len(ids) - len(set(ids))} stored twice, "
        f"{len(dashboard.resyncs)} resyncs"
    )


FAULTS = (
    "redis SIGKILL",
    "redis SIGTERM",
    "postgres stopped fast",
    "postgres stopped immediate",
    "INSERT revoked",
    "read-only",
)


def fault_steps(postgres: PrivatePostgres, redis: PrivateRedis, db: OwnedDatabase) -> dict:
    """(inject, end) of each fault."""
    return {
        "redis SIGKILL": (lambda: redis.akill(signal.SIGKILL), redis.astart),
        "redis SIGTERM": (lambda: redis.akill(signal.SIGTERM), redis.astart),
        "postgres stopped fast": (lambda: postgres.astop("fast"), postgres.astart),
        "postgres stopped immediate": (lambda: postgres.astop("immediate"), postgres.astart),
        "INSERT revoked": (db.revoke_insert, db.grant_insert),
        "read-only": (lambda: db.read_only(True), lambda: db.read_only(False)),
    }


async def main(args) -> None:
    base = Path(tempfile.mkdtemp(prefix="progress-tracker-recovery-"))
    os.chmod(base, 0o755)
    bin_dir = postgres_bin()
    assert bin_dir is not None, "no PostgreSQL server binaries"
    postgres = PrivatePostgres(bin_dir, base / "postgres")
    postgres.start()
    redis = PrivateRedis(base / "redis", appendonly=True)
    redis.start()
    try:
        for name in args.faults or FAULTS:
            db = OwnedDatabase(postgres.url)
            await db.create()
            server = JupyterServer(
                base / f"collector-{name.replace(' ', '-')}",
                db.url,
                f"--ProgressTracker.redis_url={redis.url}",
                f"--EventQueue.key_prefix=recovery-{os.urandom(4).hex()}",
                "--EventIntake.user_events_per_minute=0",  # the students are one user here
                "--EventIntake.user_max_cells_per_notebook=0",
            )
            await asyncio.to_thread(server.start)
            try:
                await one_fault(name, *fault_steps(postgres, redis, db)[name], server, db, args)
            finally:
                await asyncio.to_thread(server.stop)
                await db.drop()
    finally:
        redis.stop()
        postgres.stop("fast")
        if args.keep:
            print(f"servers' logs kept in {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=4)
    parser.add_argument("--fault-seconds", type=float, default=3.0)
    parser.add_argument("--faults", nargs="*", choices=FAULTS, help="default: all of them")
    parser.add_argument("--keep", action="store_true", help="keep the servers' logs")
    asyncio.run(main(parser.parse_args()))
