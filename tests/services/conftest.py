"""Fixtures that run private database servers on loopback ports for the `services` tests."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Callable, Iterator

import pytest
from influx import InfluxdServer, VictoriaMetricsServer, require_binary
from postgres import (
    SHARED,
    OwnedDatabase,
    PrivatePostgres,
    create_database,
    drop_database,
    postgres_bin,
    private_database_name,
    reachable,
)
from redis_server import PrivateRedis

from tests.conftest import require


@pytest.fixture(scope="session")
def influxd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InfluxdServer]:
    """A running InfluxDB 1.x (`influxd`) shared by the session; stopped at its end."""
    server = InfluxdServer(require_binary("influxd"), tmp_path_factory.mktemp("influxd"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def influx_database(influxd: InfluxdServer) -> Iterator[str]:
    """The name of a fresh, empty database on `influxd`, dropped after the test."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    influxd.create_database(name)
    yield name
    influxd.query(f'DROP DATABASE "{name}"')


@pytest.fixture
def influxd_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., InfluxdServer]]:
    """Makes running `influxd` servers that a test may stop and start; all stopped after it.

    Call it with `admin=(user, password)` for a server with authentication on.
    """
    servers: list[InfluxdServer] = []
    binary = require_binary("influxd")

    def start(*, admin: tuple[str, str] | None = None) -> InfluxdServer:
        server = InfluxdServer(binary, tmp_path_factory.mktemp("influxd-own"), admin=admin)
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def victoria_metrics(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VictoriaMetricsServer]:
    """A running VictoriaMetrics shared by the session; stopped at its end."""
    server = VictoriaMetricsServer(
        require_binary("victoria-metrics"), tmp_path_factory.mktemp("victoria-metrics")
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


# --- PostgreSQL and Redis on the machine's own servers, with private names ---


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh database on the machine's PostgreSQL (127.0.0.1:5432), dropped afterwards."""
    require(reachable(port=5432), "PostgreSQL is not listening on 127.0.0.1:5432")
    name = private_database_name()
    asyncio.run(create_database(SHARED, name))
    yield f"{SHARED}/{name}"
    asyncio.run(drop_database(SHARED, name))


@pytest.fixture
def owned_database() -> Iterator[OwnedDatabase]:
    """A fresh database on the machine's PostgreSQL owned by a role of its own (dropped after)."""
    require(reachable(port=5432), "PostgreSQL is not listening on 127.0.0.1:5432")
    database = OwnedDatabase(SHARED)
    asyncio.run(database.create())
    yield database
    asyncio.run(database.drop())


@pytest.fixture
def redis_url() -> str:
    """The machine's Redis (the tests use a private key prefix, never FLUSHALL)."""
    require(reachable(port=6379), "Redis is not listening on 127.0.0.1:6379")
    return "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_prefix(redis_url) -> Iterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    import redis

    prefix = f"progress-tracker-test-{uuid.uuid4().hex[:10]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    """A PostgreSQL server of the test's own, which the test may stop and start."""
    import tempfile
    from pathlib import Path

    bin_dir = postgres_bin()
    require(bin_dir is not None and shutil.which("runuser") is not None, "no PostgreSQL binaries")
    # Outside pytest's 0700 temp tree: the server runs as the postgres user.
    base = Path(tempfile.mkdtemp(prefix="progress-tracker-pg-"))
    os.chmod(base, 0o755)
    server = PrivatePostgres(bin_dir, base / "server")
    server.start()
    yield server
    if reachable(port=server.port):
        server.stop()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def private_redis(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., PrivateRedis]]:
    """Makes running Redis servers of the test's own (`appendonly=True` for AOF, False for none,
    `password=` for requirepass), which the test may kill and restart; all stopped after it."""
    servers: list[PrivateRedis] = []

    def start(*, appendonly: bool, password: str | None = None) -> PrivateRedis:
        server = PrivateRedis(
            tmp_path_factory.mktemp("redis"), appendonly=appendonly, password=password
        )
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()
