"""History benchmark: snapshot and list times as the stored history grows, and live fan-out cost.

Fills a fresh PostgreSQL database with a semester of synthetic history (`bench/fill.py`: 2,000
students, 50 notebooks x 60 cells, ten hour-long sessions of heartbeats per student of the
lecture and the seminar, COPY then the read model's rebuild), starts a server on it
(Redis queue, as `bench/load.py`'s collector; every user authenticated by a token of their own,
`bench/identities.py`) and prints, warm, median of 5:

- the snapshot of the 200 x 60 seminar at ~12 k stored executions and at --executions;
- the snapshot of the 2,000 x 60 lecture at ~132 k and at --executions (full and compact form,
  sizes raw and gzipped);
- the notebook list (SQL);
- the collector's CPU at 250 events/s from 3,000 students with 0 and 50 dashboards open, each
  subscribed to the notebook it shows (and, for comparison, 50 dashboards following everything).

    .venv/bin/python bench/history.py --executions 10000000

Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from fill import Filler, notebook_path, rebuild_read_model, week, without_indexes
from identities import INSTRUCTOR, token_of
from servers import collector_options, free_port, jupyter_env, jupyter_server
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import upgrade_to_head
from progress_tracker.store.read.listing import notebook_list

POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432"
LECTURE, SEMINAR = 0, 1


@asynccontextmanager
async def fresh_database(keep: bool):
    name = f"progress_tracker_history_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield name
    finally:
        if keep:
            print(f"kept database {name}")
        else:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@asynccontextmanager
async def server(database: str, redis_url: str):
    """One collector-like server on the database; yields (url, secret, pid)."""
    secret = secrets.token_hex(16)
    prefix = f"progress-tracker-history-{uuid.uuid4().hex[:8]}"
    home = Path(tempfile.mkdtemp(prefix="progress-tracker-history-"))
    port = free_port()
    env = jupyter_env(home, PYTHONPATH=os.pathsep.join([str(Path(__file__).parent), *sys.path]))
    log = (home / "server.log").open("wb")
    process = subprocess.Popen(  # noqa: ASYNC220 - set-up, before anything is measured
        jupyter_server(
            port,
            home,
            *collector_options(secret, f"{POSTGRES}/{database}", redis_url, prefix),
        ),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    url = f"http://127.0.0.1:{port}/"
    try:
        async with aiohttp.ClientSession() as session:
            deadline = time.monotonic() + 120
            while True:
                try:
                    async with session.get(
                        f"{url}api/v1/health", headers=auth(INSTRUCTOR, secret)
                    ) as r:
                        if r.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start: see {home / 'server.log'}")
                await asyncio.sleep(0.3)
        yield url, secret, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)
        import redis

        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
        client.close()


def auth(user: str, secret: str) -> dict[str, str]:
    return {"Authorization": f"token {token_of(user, secret)}"}


async def timed_get(session, url: str, headers: dict, runs: int = 5) -> tuple[float, bytes]:
    """Median seconds of `runs` GETs after one warm-up; the last body (as sent)."""
    times, body = [], b""
    for attempt in range(runs + 1):
        started = time.perf_counter()
        async with session.get(url, headers=headers) as response:
            body = await response.read()
            assert response.status == 200, body[:300]
        if attempt:
            times.append(time.perf_counter() - started)
    return statistics.median(times), body


async def snapshot_figures(url: str, secret: str, notebook: str) -> dict[str, float]:
    """Full and compact snapshot times and sizes of one notebook."""
    headers = {**auth(INSTRUCTOR, secret), "Accept-Encoding": "gzip"}
    figures = {}
    async with aiohttp.ClientSession(auto_decompress=False) as session:
        for form in ("full", "compact"):
            query = f"{url}api/v1/progress?notebook={notebook}&form={form}"
            seconds, body = await timed_get(session, query, headers)
            raw = gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body
            figures[form] = seconds
            figures[f"{form}_raw_mb"] = len(raw) / 1e6
            figures[f"{form}_gzip_mb"] = len(body) / 1e6
            figures["students"] = json.loads(raw).get("studentCount") or len(
                json.loads(raw)["students"]
            )
    return figures


def show(label: str, stored: int, f: dict[str, float]) -> None:
    print(
        f"  {label} at {stored:,} executions ({f['students']} students): "
        f"full {f['full'] * 1000:.0f} ms ({f['full_raw_mb']:.2f} MB, gzip {f['full_gzip_mb']:.2f}), "
        f"compact {f['compact'] * 1000:.0f} ms ({f['compact_raw_mb']:.2f} MB, "
        f"gzip {f['compact_gzip_mb']:.2f})"
    )


async def stored_executions(database: str) -> int:
    engine = create_engine(f"{POSTGRES}/{database}")
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(text("SELECT count(*) FROM cell_executions")))
    finally:
        await engine.dispose()


async def list_time(database: str) -> float:
    engine = create_engine(f"{POSTGRES}/{database}")
    try:
        times = []
        for attempt in range(6):
            started = time.perf_counter()
            await notebook_list(engine)
            if attempt:
                times.append(time.perf_counter() - started)
        return statistics.median(times)
    finally:
        await engine.dispose()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def fan_out(url: str, secret: str, pid: int, args) -> None:
    """The collector's CPU at `rate` events/s with 0 and N dashboards, filtered or not."""
    tokens = [auth(f"student{s}", secret) for s in range(args.hub_students)]
    ws_base = url.replace("http", "ws", 1) + "api/v1/ws"
    rng = random.Random(7)

    async def load(session, seconds: float, every_student: bool = False) -> tuple[float, int]:
        per_post = 5
        posts = int(args.rate * seconds / per_post)
        before, started = cpu_seconds(pid), time.perf_counter()
        pending = []
        for index in range(posts):
            delay = started + index * per_post / args.rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            student = (
                index % args.hub_students if every_student else rng.randrange(args.hub_students)
            )
            body = [
                {
                    "eventId": uuid.uuid4().hex,
                    "eventType": "cell_executed",
                    "eventTime": datetime.now(UTC).isoformat(),
                    "notebookPath": notebook_path(rng.randrange(args.notebooks)),
                    "cellId": f"cell-{rng.randrange(60):02d}",
                    "cellIndex": 1,
                    "cellType": "code",
                    "code": "df.describe()",
                    "executionCount": 1,
                    "hasError": False,
                    "executionDurationMs": 3.0,
                }
                for _ in range(per_post)
            ]
            pending.append(
                asyncio.create_task(
                    session.post(f"{url}api/v1/events", json=body, headers=tokens[student])
                )
            )
        for response in await asyncio.gather(*pending):
            response.release()
        await asyncio.sleep(2)  # the last events stored and fanned out
        elapsed = time.perf_counter() - started
        return (cpu_seconds(pid) - before) / elapsed, posts * per_post

    async def dashboards(session, count: int, filtered: bool):
        sockets, received = [], [0]
        for index in range(count):
            query = f"?notebook={notebook_path(index % args.notebooks)}" if filtered else ""
            sockets.append(
                await session.ws_connect(ws_base + query, headers=auth(INSTRUCTOR, secret))
            )

        async def read(ws):
            async for message in ws:
                received[0] += len(json.loads(message.data).get("events", []))

        readers = [asyncio.create_task(read(ws)) for ws in sockets]
        return sockets, readers, received

    print(
        f"live fan-out: {args.rate:.0f} events/s for {args.fan_out_seconds:.0f} s from "
        f"{args.hub_students:,} students over {args.notebooks} notebooks"
    )
    async with aiohttp.ClientSession() as session:
        # Warm-up: every student posts once (their rows exist), connections are pooled.
        await load(session, args.hub_students * 5 / args.rate, every_student=True)
        results: dict[str, list[float]] = {"none": [], "filtered": [], "everything": []}
        delivered: dict[str, int] = {}
        # Twice each, interleaved, so that a change of the machine's load shows as spread.
        for _ in range(2):
            for scenario, figures in results.items():
                sockets, readers, received = [], [], [0]
                if scenario != "none":
                    sockets, readers, received = await dashboards(
                        session, args.dashboards, scenario == "filtered"
                    )
                cpu, sent = await load(session, args.fan_out_seconds)
                for ws in sockets:
                    await ws.close()
                for reader in readers:
                    reader.cancel()
                figures.append(cpu)
                delivered[scenario] = received[0]
    base = statistics.mean(results["none"])
    print(f"  no dashboard: collector CPU {fmt(results['none'])} % of one core")
    for scenario, what in (
        ("filtered", "each subscribed to its notebook"),
        ("everything", "each following everything"),
    ):
        cpu = statistics.mean(results[scenario])
        print(
            f"  {args.dashboards} dashboards, {what}: collector CPU {fmt(results[scenario])} % "
            f"(dashboards: {(cpu - base) * 100:+.1f} % of one core), {delivered[scenario]:,} "
            f"events delivered for {sent:,} sent"
        )


def fmt(values: list[float]) -> str:
    return " / ".join(f"{value * 100:.1f}" for value in values)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executions", type=int, default=1_000_000)
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--notebooks", type=int, default=50)
    parser.add_argument("--cells", type=int, default=60)
    parser.add_argument("--seminar", type=int, default=200)
    parser.add_argument(
        "--sessions",
        type=int,
        default=10,
        help="sessions of an hour (60 heartbeats) per student in the lecture and the seminar",
    )
    parser.add_argument("--hub-students", type=int, default=3000)
    parser.add_argument("--dashboards", type=int, default=50)
    parser.add_argument("--rate", type=float, default=250)
    parser.add_argument("--fan-out-seconds", type=float, default=20)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--database", help="measure the snapshots of a kept database, no fill")
    parser.add_argument(
        "--fan-out-only", action="store_true", help="only the live figures, on an empty database"
    )
    args = parser.parse_args()
    if args.database:
        # Measure again on a database an earlier run filled and kept (--keep).
        async with server(args.database, args.redis_url) as (url, secret, _):
            stored = await stored_executions(args.database)
            print(f"snapshots on {args.database} (warm, median of 5):")
            show("seminar 200 x 60", stored, await snapshot_figures(url, secret, notebook_path(1)))
            show(
                "lecture 2,000 x 60", stored, await snapshot_figures(url, secret, notebook_path(0))
            )
            listed = await list_time(args.database)
            print(f"notebook list ({args.notebooks} notebooks, SQL): {listed * 1000:.1f} ms")
        return
    if args.fan_out_only:
        async with fresh_database(args.keep) as database:
            engine = create_engine(f"{POSTGRES}/{database}")
            await upgrade_to_head(engine)
            await engine.dispose()
            async with server(database, args.redis_url) as (url, secret, pid):
                await fan_out(url, secret, pid, args)
        return
    grid = args.cells * (args.students + args.seminar)
    if args.executions < 3 * grid:
        parser.error(f"--executions must be at least {3 * grid:,} (3 runs of each measured cell)")
    async with fresh_database(args.keep) as database:
        engine = create_engine(f"{POSTGRES}/{database}")
        await upgrade_to_head(engine)
        filler = Filler(
            f"postgresql://postgres@127.0.0.1:5432/{database}",
            students=args.students,
            notebooks=args.notebooks,
            cells=args.cells,
            seminar=args.seminar,
        )
        await filler.create_class()
        seminar_grid, lecture_grid = args.seminar * args.cells, args.students * args.cells
        print(
            f"history: {args.students:,} students, {args.notebooks} notebooks x {args.cells} cells"
        )
        # Week 1: the seminar and the lecture run once each. (A server is started for each
        # round of measures, so that it reads a database at rest.)
        await filler.copy(filler.runs(SEMINAR, args.seminar, seminar_grid, week(0), week(1)))
        await rebuild_read_model(engine)
        async with server(database, args.redis_url) as (url, secret, _):
            seminar_early = await snapshot_figures(url, secret, notebook_path(SEMINAR))
        seminar_at = filler.written
        await filler.copy(filler.runs(LECTURE, args.students, lecture_grid, week(0), week(1)))
        await rebuild_read_model(engine)
        async with server(database, args.redis_url) as (url, secret, _):
            lecture_early = await snapshot_figures(url, secret, notebook_path(LECTURE))
        lecture_at = filler.written
        # The rest of the semester: two more runs of each, the other notebooks' history.
        started = time.perf_counter()
        restore = await without_indexes(filler.dsn)
        later = (week(1), week(15))
        await filler.copy(filler.runs(SEMINAR, args.seminar, 2 * seminar_grid, *later))
        await filler.copy(filler.runs(LECTURE, args.students, 2 * lecture_grid, *later))
        others = args.notebooks - 2
        remaining = args.executions - filler.written
        for index in range(others):
            share = remaining // others + (1 if index < remaining % others else 0)
            await filler.copy(filler.runs(2 + index, args.students, share, *later))
        # Presence: every session of the lecture and the seminar a heartbeat a minute.
        for notebook, students in ((LECTURE, args.students), (SEMINAR, args.seminar)):
            sessions = filler.sessions(notebook, students, args.sessions, 60, *later)
            await filler.copy(sessions, "notebook_events")
        copied = time.perf_counter() - started
        await restore()
        indexed = time.perf_counter() - started - copied
        rebuilt = await rebuild_read_model(engine)
        print(
            f"  filled to {filler.written:,} executions and {filler.lifecycle_written:,} "
            f"notebook lifecycle events (heartbeats): COPY {copied:.0f} s "
            f"({(filler.written - lecture_at + filler.lifecycle_written) / copied:,.0f} rows/s), "
            f"indexes {indexed:.0f} s, read model rebuilt in {rebuilt:.0f} s"
        )
        async with server(database, args.redis_url) as (url, secret, pid):
            seminar_late = await snapshot_figures(url, secret, notebook_path(SEMINAR))
            lecture_late = await snapshot_figures(url, secret, notebook_path(LECTURE))
            listed = await list_time(database)
            print("snapshots (GET api/v1/progress?notebook=..., warm, median of 5):")
            show("seminar 200 x 60", seminar_at, seminar_early)
            show("seminar 200 x 60", filler.written, seminar_late)
            show("lecture 2,000 x 60", lecture_at, lecture_early)
            show("lecture 2,000 x 60", filler.written, lecture_late)
            for label, early, late in (
                ("seminar", seminar_early, seminar_late),
                ("lecture", lecture_early, lecture_late),
            ):
                print(
                    f"  {label}: compact snapshot at {filler.written:,} / at its week-1 history: "
                    f"{late['compact'] / early['compact']:.2f}x (full form "
                    f"{late['full'] / early['full']:.2f}x)"
                )
            print(f"notebook list ({args.notebooks} notebooks, SQL): {listed * 1000:.1f} ms")
            await fan_out(url, secret, pid, args)
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
