"""A Jupyter server with the Redis pipeline: the HTTP contract, health, dead letters, metrics."""

from __future__ import annotations

import asyncio
import json

import pytest
from pipeline_kit import eventually
from tornado.httpclient import HTTPClientError

from tests.conftest import make_event

pytestmark = pytest.mark.services


@pytest.fixture
def tracker_config(postgres_url, redis_url, redis_prefix):
    return {
        "database_url": postgres_url,
        "redis_url": redis_url,
        "redis_key_prefix": redis_prefix,
        "consumer_claim_idle_ms": 1000,
    }


@pytest.fixture
def database_url(postgres_url):
    return postgres_url


@pytest.fixture
def jp_server_config(jp_server_config):
    """The machine's shared Redis persists nothing: these tests accept a volatile queue."""
    return {**jp_server_config, "EventQueue": {"allow_volatile": True}}


async def post(jp_fetch, events):
    try:
        response = await jp_fetch("api", "v1", "events", method="POST", body=json.dumps(events))
    except HTTPClientError as err:
        return err.code, json.loads(err.response.body), err.response.headers
    return response.code, json.loads(response.body), response.headers


async def started(jp_serverapp):
    app = next(iter(jp_serverapp.extension_manager.extension_apps["progress_tracker"]))
    await app._start_jupyter_server_extension(jp_serverapp)
    return app.runtime


async def test_events_flow_through_redis_to_postgresql_and_the_live_socket(
    jp_fetch, jp_ws_fetch, jp_serverapp
):
    runtime = await started(jp_serverapp)
    ws = await jp_ws_fetch("api", "v1", "ws")
    batch = [make_event(cellId=f"c{i}", cellIndex=i) for i in range(3)]
    status, reply, _ = await post(jp_fetch, batch)
    assert (status, reply["processed_count"]) == (202, 3)
    pushed: list[str] = []
    while len(pushed) < 3:
        message = json.loads(await asyncio.wait_for(ws.read_message(), 10))
        if message["type"] == "events":
            pushed += [e["eventId"] for e in message["events"]]
    assert pushed == [e["eventId"] for e in batch]
    await post(jp_fetch, batch)  # a retry
    executions = await runtime.queries.executions("course/lab1.ipynb")
    assert len(executions) == 3
    ws.close()


async def test_health_reports_queue_pending_dead_letters_and_sinks(jp_fetch, jp_serverapp):
    runtime = await started(jp_serverapp)
    await post(jp_fetch, [make_event()])

    async def settled():
        health = json.loads((await jp_fetch("api", "v1", "health")).body)
        group = health["queue"]["groups"].get("database")
        return health if group and group["pending"] == 0 and not group["lag"] else None

    health = await eventually(settled)
    assert health["pipeline"] == "redis"
    assert health["queue"]["deadLetters"] == 0
    assert health["sinks"]["database"]["persisted"] >= 1
    assert health["sinks"]["database"]["lastError"] is None
    assert runtime.redis is not None


async def test_dead_letters_can_be_listed_and_replayed_over_http(jp_fetch, jp_serverapp):
    runtime = await started(jp_serverapp)
    stream = runtime.pipeline.stream
    from progress_tracker.events import Event

    event = make_event()
    stored_form = {**event, "userId": "teacher", "receivedAt": event["eventTime"]}
    await stream.dead.add("1-0", json.dumps(stored_form).encode(), "database down", "database")
    listed = json.loads((await jp_fetch("api", "v1", "deadletters")).body)["deadLetters"]
    assert [(d["error"], d["event"]["eventId"]) for d in listed] == [
        ("database down", event["eventId"])
    ]
    replay = await jp_fetch("api", "v1", "deadletters", method="POST", body="{}")
    assert json.loads(replay.body) == {"replayed": 1}

    async def stored():
        return await runtime.queries.executions("course/lab1.ipynb")

    [back] = await eventually(stored)
    assert back.event_id == event["eventId"]
    assert Event  # the wire form read back is a full event


async def test_metrics_count_accepted_rejected_and_persisted_events(jp_fetch, jp_serverapp):
    await started(jp_serverapp)
    await post(jp_fetch, [make_event()])
    await post(jp_fetch, [])
    await asyncio.sleep(0.5)
    text = (await jp_fetch("metrics")).body.decode()
    assert "progress_tracker_events_accepted_total" in text
    assert 'progress_tracker_events_rejected_total{status="400"}' in text
    assert 'progress_tracker_events_persisted_total{sink="database"}' in text


class TestOnAPrivateRedis:
    @pytest.fixture
    def jp_server_config(self, jp_server_config, private_redis):
        jp_server_config["ProgressTracker"]["redis_url"] = private_redis(appendonly=True).url
        return jp_server_config

    async def test_every_background_task_ends_when_stopped_even_in_the_middle_of_redis_calls(
        self, jp_fetch, jp_serverapp
    ):
        # redis-py now and then swallows a cancellation that hits a command; the loops of the
        # tasks must still end, or a server's shutdown waits for their timeout.
        await post(jp_fetch, [make_event()])
        runtime = await started(jp_serverapp)
        tasks = list(runtime.tasks._tasks)
        for task in tasks:
            task.cancel()
        _, pending = await asyncio.wait(tasks, timeout=3)
        assert {task.get_name() for task in pending} == set()


class TestRedisDown:
    @pytest.fixture
    def tracker_config(self, postgres_url):
        return {"database_url": postgres_url, "redis_url": "redis://127.0.0.1:1/0"}

    async def test_a_post_gets_503_with_retry_after_and_nothing_is_stored(
        self, jp_fetch, jp_serverapp
    ):
        status, reply, headers = await post(jp_fetch, [make_event()])
        assert status == 503
        assert int(headers["Retry-After"]) > 0
        assert "retry" in reply["message"].lower()
        runtime = next(
            iter(jp_serverapp.extension_manager.extension_apps["progress_tracker"])
        ).runtime
        assert await runtime.queries.executions() == []


class TestWithInfluxDB:
    """Configured through the options, the collector writes every event to InfluxDB as well."""

    @pytest.fixture
    def tracker_config(self, postgres_url, redis_url, redis_prefix, influxd, influx_database):
        return {
            "database_url": postgres_url,
            "redis_url": redis_url,
            "redis_key_prefix": redis_prefix,
            "influxdb_url": influxd.url,
            "influxdb_database": influx_database,
        }

    async def test_events_reach_postgresql_and_influxdb(
        self, jp_fetch, jp_serverapp, influxd, influx_database
    ):
        runtime = await started(jp_serverapp)
        passing = make_event()
        failing = make_event(cellId="c9", hasError=True, errorMessage="KeyError: 'x'")
        status, _, _ = await post(jp_fetch, [passing, failing])
        assert status == 202

        async def in_influx():
            points = influxd.rows(
                "SELECT * FROM student_progress WHERE \"userId\" = 'teacher'", db=influx_database
            )
            return points if len(points) == 2 else None

        points = await eventually(in_influx)
        assert {p["eventId"] for p in points} == {passing["eventId"], failing["eventId"]}
        assert {p["cell"] for p in points} == {"cell-a", "c9"}
        assert any(p["hasError"] and p["errorMessage"] == "KeyError: 'x'" for p in points)
        assert len(await runtime.queries.executions("course/lab1.ipynb")) == 2
