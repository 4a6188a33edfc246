"""The fault suite: a collector under load while its Redis or PostgreSQL fails, as operators see
such failures (crash, clean restart, a revoked privilege, a fail-over to a read-only standby).

Against a PostgreSQL and a Redis (with AOF) of the suite's own, each run asserts that every
event answered 202 is stored exactly once, that the backlog of the fault is drained within
DRAIN_DEADLINE_S of its end, and that a dashboard connected throughout received every stored
event without reloading.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from fault_kit import Dashboard, Student, notebook
from pipeline_kit import eventually
from postgres import OwnedDatabase, PrivatePostgres, postgres_bin
from redis_server import PrivateRedis
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from tests.conftest import require
from tests.jupyter_process import JupyterServer

pytestmark = [pytest.mark.services, pytest.mark.asyncio]

DRAIN_DEADLINE_S = 5.0
STUDENTS = 4


@pytest.fixture(scope="module")
def postgres_server() -> Iterator[PrivatePostgres]:
    bin_dir = postgres_bin()
    require(bin_dir is not None and shutil.which("runuser") is not None, "no PostgreSQL binaries")
    base = Path(tempfile.mkdtemp(prefix="progress-tracker-faults-"))
    os.chmod(base, 0o755)
    server = PrivatePostgres(bin_dir, base / "server")
    server.start()
    yield server
    server.stop("fast")
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path_factory.mktemp("faults-redis"), appendonly=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def database(postgres_server) -> Iterator[OwnedDatabase]:
    owned = OwnedDatabase(postgres_server.url)
    asyncio.run(owned.create())
    yield owned
    asyncio.run(owned.drop())


@pytest.fixture
def collector(tmp_path, postgres_server, redis_server, database) -> Iterator[JupyterServer]:
    prefix = f"faults-{os.urandom(4).hex()}"
    server = JupyterServer(
        tmp_path / "collector",
        database.url,
        f"--ProgressTracker.redis_url={redis_server.url}",
        f"--EventQueue.key_prefix={prefix}",
        # this suite is about faults, not the per-user budget: its students are one user
        "--EventIntake.user_events_per_minute=0",
        "--EventIntake.user_max_cells_per_notebook=0",
    )
    server.start()
    yield server
    if server.process and server.process.poll() is None:
        server.stop()


Fault = tuple[Callable[[], Awaitable[None]], Callable[[], Awaitable[None]]]


def fault_of(name: str, postgres: PrivatePostgres, redis: PrivateRedis, db: OwnedDatabase) -> Fault:
    """(inject, end) of each fault."""
    faults: dict[str, Fault] = {
        "redis SIGKILL": (lambda: redis.akill(signal.SIGKILL), redis.astart),
        "redis SIGTERM": (lambda: redis.akill(signal.SIGTERM), redis.astart),
        "postgres stopped fast": (lambda: postgres.astop("fast"), postgres.astart),
        "postgres stopped immediate": (lambda: postgres.astop("immediate"), postgres.astart),
        "INSERT revoked": (db.revoke_insert, db.grant_insert),
        "read-only": (lambda: db.read_only(True), lambda: db.read_only(False)),
    }
    return faults[name]


@pytest.mark.parametrize(
    "fault",
    [
        "redis SIGKILL",
        "redis SIGTERM",
        "postgres stopped fast",
        "postgres stopped immediate",
        "INSERT revoked",
        "read-only",
    ],
)
async def test_every_202_is_stored_once_drained_in_seconds_and_seen_live(
    fault, collector, postgres_server, redis_server, database
):
    inject, end = fault_of(fault, postgres_server, redis_server, database)
    students = [Student(collector, notebook()) for _ in range(STUDENTS)]
    dashboard = Dashboard(collector)
    await dashboard.snapshot()
    tasks = [asyncio.create_task(s.run()) for s in [*students, dashboard]]
    try:
        await eventually(lambda: _each_acknowledged(students, 10), timeout=60)
        await inject()
        await eventually(lambda: _fault_visible(fault, collector, students), timeout=60)
        marks = [len(s.acknowledged) for s in students]
        await eventually(lambda: _backlog_built(fault, students, marks), timeout=60)
        await end()
        ended = time.monotonic()
        backlog = set().union(*(s.acknowledged_by(ended) for s in students))
        # The backlog of the fault is stored within the deadline of its end...
        await eventually(lambda: _stored_superset(database, backlog), timeout=DRAIN_DEADLINE_S)
        # ... while the students go on: everyone gets 202s again.
        await eventually(lambda: _each_acknowledged_after(students, ended), timeout=60)
    finally:
        for student in students:
            student.stopping = True
        await asyncio.wait(tasks[:-1], timeout=60)
    acknowledged = set().union(*(s.acknowledged_by(time.monotonic()) for s in students))
    stored = await eventually(lambda: _stored_if_all(database, acknowledged), timeout=60)
    assert len(stored) == len(set(stored)), "stored exactly once"
    await eventually(lambda: _true(set(stored) <= dashboard.ids), timeout=60)
    tasks[-1].cancel()
    await asyncio.wait(tasks[-1:])
    assert dashboard.resyncs == [], "the dashboard never had to reload"
    assert dashboard.gaps == 0
    health = await asyncio.to_thread(collector.call, "GET", "health")
    assert health[1]["queue"]["deadLetters"] == 0, "an outage is never poison"


async def _each_acknowledged(students: list[Student], count: int) -> bool:
    return all(len(s.acknowledged) >= count for s in students)


async def _each_acknowledged_after(students: list[Student], moment: float) -> bool:
    return all(any(at > moment for at, _ in s.acknowledged) for s in students)


async def _fault_visible(fault: str, collector: JupyterServer, students: list[Student]) -> bool:
    """Redis down: the students get 503s. The database failing: the collector says so."""
    if fault.startswith("redis"):
        return sum(s.refusals for s in students) > 0
    _, health = await asyncio.to_thread(collector.call, "GET", "health")
    return bool(health["sinks"]["database"]["lastError"])


async def _backlog_built(fault: str, students: list[Student], marks: list[int]) -> bool:
    """The fault lasts a while: Redis down, every student was refused a few times; the
    database failing, Redis took twenty more batches of each student meanwhile."""
    if fault.startswith("redis"):
        return all(s.refusals >= 3 for s in students)
    return all(len(s.acknowledged) >= mark + 100 for s, mark in zip(students, marks, strict=True))


async def _stored_ids(database: OwnedDatabase) -> list[str]:
    url = database.url.replace(f"{database.role}@", "postgres@", 1)
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT event_id FROM cell_executions"))
            return [row[0] for row in rows]
    finally:
        await engine.dispose()


async def _stored_superset(database: OwnedDatabase, wanted: set[str]) -> bool:
    try:
        return wanted <= set(await _stored_ids(database))
    except (OSError, SQLAlchemyError):  # the server is still starting up
        return False


async def _stored_if_all(database: OwnedDatabase, wanted: set[str]) -> list[str] | None:
    stored = await _stored_ids(database)
    return stored if wanted <= set(stored) else None


async def _true(value: bool) -> bool:
    return value
