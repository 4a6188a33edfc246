"""Load benchmark: accepted events/s, persisted events/s per sink, and POST-to-WebSocket latency.

Starts N collectors itself (`--spawn N`: N `jupyter server` processes sharing Redis and a fresh
PostgreSQL database on this machine), each authenticating every simulated student with a token of
its own (`bench/identities.py`), so that "200 students" are 200 stored students. Prints its
figures; nothing is asserted.

    .venv/bin/python bench/load.py --spawn 1 --events 200000 --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
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
from identities import INSTRUCTOR, token_of
from servers import collector_options, free_port, jupyter_env, jupyter_server
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432"


def student_name(student: int) -> str:
    return f"student{student}"


def seed_event(student: int, cell: int, sent_at: float | None = None) -> dict:
    """An event in the seed schema, as the capture plugin sends it (the server ignores userId)."""
    failed = (student + cell) % 7 == 0
    return {
        "eventId": uuid.uuid4().hex,
        "eventType": "cell_executed",
        "eventTime": datetime.now(UTC).isoformat(),
        "userId": student_name(student),
        "notebookPath": "bench/lab1.ipynb",
        "cellId": f"cell-{cell}",
        "cellIndex": cell,
        "cellType": "code",
        "code": "df.groupby('region')['units'].sum()",
        "executionCount": cell + 1,
        "hasError": failed,
        "errorMessage": "KeyError: 'units'" if failed else None,
        "result": None if failed else "region\nnorth 12\nsouth 9",
        "executionDurationMs": 12.5,
        "metadata": {"sentAt": sent_at} if sent_at else {},
    }


@asynccontextmanager
async def spawned_collectors(count: int, redis_url: str):
    """Start `count` collectors on one Redis stream and a fresh PostgreSQL database."""
    database = f"progress_tracker_bench_{uuid.uuid4().hex[:8]}"
    prefix = f"progress-tracker-bench-{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{database}"'))
    secret = secrets.token_hex(16)
    root = Path(tempfile.mkdtemp(prefix="progress-tracker-bench-"))
    processes, urls = [], []
    try:
        for index in range(count):
            port = free_port()
            home = root / f"collector{index}"
            home.mkdir()
            env = jupyter_env(
                home, PYTHONPATH=os.pathsep.join([str(Path(__file__).parent), *sys.path])
            )
            log = (home / "server.log").open("wb")
            processes.append(
                subprocess.Popen(  # noqa: ASYNC220 - set-up, before any load runs
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
            )
            log.close()
            urls.append(f"http://127.0.0.1:{port}/")
        async with aiohttp.ClientSession() as session:
            for url in urls:
                await wait_ready(session, url, token_of(INSTRUCTOR, secret))
        yield urls, secret
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        await admin.dispose()
        import redis

        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
        client.close()


async def wait_ready(session: aiohttp.ClientSession, url: str, token: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            async with session.get(f"{url}api/v1/health", headers=auth(token)) as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not start")


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"token {token}"}


async def persisted(session: aiohttp.ClientSession, urls: list[str], secret: str) -> dict:
    """Events persisted per sink, summed over the collectors."""
    totals: dict[str, int] = {}
    for url in urls:
        headers = auth(token_of(INSTRUCTOR, secret))
        async with session.get(f"{url}api/v1/health", headers=headers) as response:
            health = await response.json()
        for sink, report in health["sinks"].items():
            totals[sink] = totals.get(sink, 0) + report.get("persisted", report.get("stored", 0))
    return totals


async def throughput(
    urls: list[str], secret: str, events: int, batch: int, concurrency: int, students: int
) -> None:
    """Post `events` as fast as the server answers; then wait until every sink drained.

    Each POST is one student's batch, sent with that student's own token.
    """
    tokens = [token_of(student_name(s), secret) for s in range(students)]
    bodies = []
    for number, start in enumerate(range(0, events, batch)):
        student = number % students
        body = [seed_event(student, i % 60) for i in range(min(batch, events - start))]
        bodies.append((tokens[student], json.dumps(body).encode()))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        before = await persisted(session, urls, secret)
        queue: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue()
        for body in bodies:
            queue.put_nowait(body)
        refused = 0

        async def worker(index: int) -> None:
            nonlocal refused
            url = f"{urls[index % len(urls)]}api/v1/events"
            while not queue.empty():
                token, body = queue.get_nowait()
                headers = {**auth(token), "Content-Type": "application/json"}
                while True:
                    async with session.post(url, data=body, headers=headers) as response:
                        await response.read()
                        if response.status == 202:
                            break
                        refused += 1
                        await asyncio.sleep(0.05)

        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        accepted_s = time.perf_counter() - started
        drained_at: dict[str, float] = {}
        while len(drained_at) < len(before) and time.perf_counter() - started < 600:
            now = await persisted(session, urls, secret)
            for sink, count in now.items():
                if sink not in drained_at and count - before.get(sink, 0) >= events:
                    drained_at[sink] = time.perf_counter() - started
            await asyncio.sleep(0.1)
    print(
        f"throughput: {events} events in batches of {batch}, {concurrency} concurrent POSTs, "
        f"{students} students, {len(urls)} collector(s)"
    )
    print(
        f"  accepted : {events / accepted_s:,.0f} events/s ({accepted_s:.2f} s, "
        f"{refused} retried refusals)"
    )
    for sink, seconds in sorted(drained_at.items()):
        print(
            f"  persisted: {events / seconds:,.0f} events/s to {sink} "
            f"(all stored {seconds:.2f} s after the first POST)"
        )


async def latency(urls: list[str], secret: str, rate: float, seconds: float, students: int) -> None:
    """Send `rate` events/s, one per POST, and time each until it arrives on the WebSocket."""
    received: dict[str, float] = {}
    sent: dict[str, float] = {}
    ws_url = urls[-1].replace("http", "ws", 1) + "api/v1/ws"
    instructor = auth(token_of(INSTRUCTOR, secret))
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(ws_url, headers=instructor) as ws,
    ):

        async def listen() -> None:
            async for message in ws:
                for event in json.loads(message.data).get("events", []):
                    received.setdefault(event["eventId"], time.perf_counter())

        listener = asyncio.create_task(listen())
        total = int(rate * seconds)
        started = time.perf_counter()

        async def post_one(index: int) -> None:
            student = index % students
            event = seed_event(student, index % 60)
            url = f"{urls[index % len(urls)]}api/v1/events"
            token = token_of(student_name(student), secret)
            headers = {**auth(token), "Content-Type": "application/json"}
            sent[event["eventId"]] = time.perf_counter()
            async with session.post(url, data=json.dumps([event]), headers=headers) as response:
                await response.read()

        tasks = []
        for index in range(total):
            delay = started + index / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(post_one(index)))
        await asyncio.gather(*tasks)
        deadline = time.perf_counter() + 10
        while len(received.keys() & sent.keys()) < total and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        listener.cancel()
    delays = sorted((received[i] - sent[i]) * 1000 for i in sent if i in received)
    lost = total - len(delays)
    p99 = delays[min(len(delays) - 1, int(len(delays) * 0.99))] if delays else float("nan")
    print(
        f"latency: {rate:.0f} events/s for {seconds:.0f} s from {students} students, "
        f"one event per POST"
    )
    print(
        f"  POST -> WebSocket: p50 {statistics.median(delays):.1f} ms, p99 {p99:.1f} ms, "
        f"max {delays[-1]:.1f} ms; {lost} of {total} not seen"
    )


async def distinct_students(urls: list[str], secret: str, students: int) -> None:
    """How many students the store holds: every simulated student is one, as on a real hub."""
    async with aiohttp.ClientSession() as session:
        headers = auth(token_of(INSTRUCTOR, secret))
        async with session.get(f"{urls[0]}api/v1/progress", headers=headers) as response:
            snapshot = await response.json()
    stored = len(snapshot.get("students", []))
    print(f"students: {stored} stored of {students} simulated (each posted with its own token)")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spawn", type=int, default=1, help="start N collectors here")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--rate", type=float, default=300)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    async with spawned_collectors(args.spawn, args.redis_url) as (urls, secret):
        await throughput(urls, secret, args.events, args.batch, args.concurrency, args.students)
        await latency(urls, secret, args.rate, args.seconds, args.students)
        await distinct_students(urls, secret, args.students)


if __name__ == "__main__":
    asyncio.run(main())
