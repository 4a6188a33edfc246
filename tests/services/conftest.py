"""Fixtures that run private database servers on loopback ports for the `services` tests."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from influx import InfluxdServer, VictoriaMetricsServer, require_binary


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
