"""Generated batches through a collector's whole pipeline: Redis, PostgreSQL and InfluxDB.

What got 202 is stored exactly once in PostgreSQL and is exactly one point in InfluxDB once the
consumers have drained the queue; what was refused is in neither. Event ids and times are made
unique per event here, so that every accepted event is its own InfluxDB point (InfluxDB keeps one
point per tag set and time); the hostile texts, metadata and shapes are the generated ones.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import require
from tests.hostile_events import batches, body_of
from tests.jupyter_process import JupyterServer
from tests.services.influx import InfluxdServer, require_binary
from tests.services.postgres import (
    SHARED,
    create_database,
    drop_database,
    private_database_name,
    reachable,
)
from tests.waiting import wait_until

from .conftest import RECORDED, STUDENTS, FuzzedServer
from .test_fuzz_api import event_keys

pytestmark = pytest.mark.services

REDIS = "redis://127.0.0.1:6379/0"
START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def collector(tmp_path_factory) -> Iterator[tuple[FuzzedServer, InfluxdServer, str]]:
    require(reachable(port=5432), "PostgreSQL is not listening on 127.0.0.1:5432")
    require(reachable(port=6379), "Redis is not listening on 127.0.0.1:6379")
    influxd = InfluxdServer(require_binary("influxd"), tmp_path_factory.mktemp("influxd"))
    influxd.start()
    influx_db = f"fuzz_{uuid.uuid4().hex[:8]}"
    influxd.create_database(influx_db)
    name = private_database_name()
    asyncio.run(create_database(SHARED, name))
    prefix = f"progress-tracker-fuzz-{uuid.uuid4().hex[:8]}"
    server = JupyterServer(
        tmp_path_factory.mktemp("collector"),
        f"{SHARED}/{name}",
        "--ProgressTracker.mode=collector",
        "--ServerApp.identity_provider_class=tests.security.students.StudentTokens",
        f"--ProgressTracker.redis_url={REDIS}",
        f"--EventQueue.key_prefix={prefix}",
        "--EventQueue.allow_volatile=True",  # the machine's shared Redis persists nothing
        f"--InfluxDB.url={influxd.url}",
        "--InfluxDB.api=v1",
        f"--InfluxDB.database={influx_db}",
        "--EventIntake.user_events_per_minute=100000",
        "--EventIntake.user_bytes_per_minute=0",
        "--EventIntake.user_max_notebooks=1000",
    )
    server.start()
    try:
        yield FuzzedServer(server, name), influxd, influx_db
    finally:
        server.stop()
        influxd.stop()
        asyncio.run(drop_database(SHARED, name))
        _drop_keys(prefix)


def _drop_keys(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def drained(fuzzed: FuzzedServer) -> bool:
    health = requests.get(
        f"{fuzzed.base}api/v1/health",
        headers={"Authorization": f"token {fuzzed.owner_token}"},
        timeout=30,
    ).json()
    groups = health["queue"]["groups"]
    return set(groups) == {"database", "influxdb"} and all(
        not group["pending"] and not group["lag"] for group in groups.values()
    )


def test_accepted_events_reach_postgresql_and_influxdb_exactly_once(collector):
    fuzzed, influxd, influx_db = collector
    serial = itertools.count()

    @settings(
        max_examples=1500,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(batch=batches, user=st.sampled_from(STUDENTS))
    def post(batch, user):
        for event in batch:
            n = next(serial)
            if isinstance(event.get("eventId"), str):
                event["eventId"] = f"{event['eventId'][:100]}-{n}"
            if "eventTime" in event:
                event["eventTime"] = (START + timedelta(milliseconds=n)).isoformat()
        response = fuzzed.request(
            "collector", "POST", "api/v1/events", token=user, data=body_of(batch)
        )
        keys = event_keys(user, batch)
        if response.status_code == 202:
            fuzzed.ledger.accepted |= keys
        else:
            fuzzed.ledger.refused |= keys

    post()
    assert fuzzed.alive()
    wait_until(lambda: drained(fuzzed), "the consumers to drain the queue")
    accepted, refused = fuzzed.ledger.accepted, fuzzed.ledger.refused - fuzzed.ledger.accepted
    stored = fuzzed.stored_counts()
    assert {key: stored[key] for key in accepted if stored[key] != 1} == {}
    assert refused & set(stored) == set()
    points = Counter(
        (row["userId"], row["eventId"])
        for row in influxd.rows('SELECT "eventId", "userId" FROM student_progress', db=influx_db)
    )
    assert {key: points[key] for key in accepted if points[key] != 1} == {}
    assert refused & set(points) == set()
    assert RECORDED["collector"] >= 1500
    assert len(accepted) > 200, "the generated batches exercise storage, not only refusals"
