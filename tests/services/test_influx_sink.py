"""The InfluxDB sink, against real servers: what it writes, how it fails, what it never shows."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from influx import InfluxdServer, VictoriaMetricsServer, free_port

from progress_tracker.config.influx import InfluxDB, InfluxSettings
from progress_tracker.events import Event, EventType
from progress_tracker.sinks import SinkError
from progress_tracker.sinks.influx import InfluxSink, InfluxSinkError, event_time_ns

EVENT_TIME = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
SECRET = "s3cr3t-Do-Not-Show"


def make_event(**overrides: Any) -> Event:
    """A cell execution with every optional attribute filled in, unless overridden."""
    values: dict[str, Any] = {
        "event_id": f"ev-{uuid.uuid4().hex}",
        "event_type": EventType.CELL_EXECUTED,
        "event_time": EVENT_TIME,
        "user_id": f"student-{uuid.uuid4().hex[:8]}",
        "notebook_path": "course work/lab 1, intro=basics.ipynb",
        "cell_id": "cell-7f3a",
        "cell_index": 4,
        "cell_type": "code",
        "code": "1 / 0",
        "execution_count": 12,
        "has_error": True,
        "error_message": 'ZeroDivisionError: "division" by zero \\ (see above)',
        "result": None,
        "execution_duration_ms": 42.5,
        "metadata": {"kernel": "python3"},
        "received_at": EVENT_TIME + timedelta(seconds=1),
    }
    values.update(overrides)
    return Event(**values)


def v1_settings(server: InfluxdServer, database: str, **overrides: Any) -> InfluxSettings:
    return InfluxSettings(url=server.url, api="v1", database=database, **overrides)


def points_of(server: InfluxdServer, database: str, user_id: str) -> list[dict[str, Any]]:
    """Every stored point of one user, read back with InfluxQL (time in ns)."""
    return server.rows(
        f"SELECT * FROM student_progress WHERE \"userId\" = '{user_id}'", db=database
    )


# --- InfluxDB 1.x: /write and InfluxQL -------------------------------------------------------


@pytest.mark.services
@pytest.mark.asyncio
async def test_every_tag_and_field_is_written_and_read_back(
    influxd: InfluxdServer, influx_database: str
) -> None:
    event = make_event()
    async with InfluxSink(v1_settings(influxd, influx_database)) as sink:
        await sink.write([event])

    assert points_of(influxd, influx_database, event.user_id) == [
        {
            "time": event_time_ns(EVENT_TIME),
            "userId": event.user_id,
            "notebook": "course work/lab 1, intro=basics.ipynb",
            "cell": "cell-7f3a",
            "eventType": "cell_executed",
            "duration": 42.5,
            "hasError": True,
            "executionCount": 12,
            "errorMessage": 'ZeroDivisionError: "division" by zero \\ (see above)',
            "eventId": event.event_id,
        }
    ]


@pytest.mark.services
@pytest.mark.asyncio
async def test_ids_are_tags_and_the_event_id_is_a_field(
    influxd: InfluxdServer, influx_database: str
) -> None:
    """eventId is unique per event: as a tag it would create one series per event."""
    async with InfluxSink(v1_settings(influxd, influx_database)) as sink:
        await sink.write([make_event()])

    tags = influxd.query("SHOW TAG KEYS FROM student_progress", db=influx_database)
    fields = influxd.query("SHOW FIELD KEYS FROM student_progress", db=influx_database)
    assert {row[0] for row in tags[0]["values"]} == {"userId", "notebook", "cell", "eventType"}
    assert dict(map(tuple, fields[0]["values"])) == {
        "duration": "float",
        "hasError": "boolean",
        "executionCount": "integer",
        "errorMessage": "string",
        "eventId": "string",
    }


@pytest.mark.services
@pytest.mark.asyncio
async def test_absent_attributes_leave_out_their_tag_and_fields(
    influxd: InfluxdServer, influx_database: str
) -> None:
    opened = make_event(
        event_type=EventType.NOTEBOOK_OPENED,
        cell_id=None,
        cell_index=None,
        execution_count=None,
        has_error=False,
        error_message=None,
        execution_duration_ms=None,
    )
    async with InfluxSink(v1_settings(influxd, influx_database)) as sink:
        await sink.write([opened])

    [point] = points_of(influxd, influx_database, opened.user_id)
    assert point["eventType"] == "notebook_opened"
    assert point["hasError"] is False
    assert point["eventId"] == opened.event_id
    for absent in ("cell", "duration", "executionCount", "errorMessage"):
        assert point.get(absent) is None, absent


@pytest.mark.services
@pytest.mark.asyncio
async def test_line_breaks_in_error_messages_are_written_as_backslash_n(
    influxd: InfluxdServer, influx_database: str
) -> None:
    event = make_event(error_message="Traceback (most recent call last):\r\n  ...\nKeyError: 'x'")
    async with InfluxSink(v1_settings(influxd, influx_database)) as sink:
        await sink.write([event])

    [point] = points_of(influxd, influx_database, event.user_id)
    assert point["errorMessage"] == "Traceback (most recent call last):\\n  ...\\nKeyError: 'x'"


@pytest.mark.services
@pytest.mark.asyncio
async def test_timestamp_keeps_the_event_time_to_the_microsecond(
    influxd: InfluxdServer, influx_database: str
) -> None:
    moment = datetime(2025, 1, 31, 23, 59, 59, 999999, tzinfo=UTC)
    event = make_event(event_time=moment)
    async with InfluxSink(v1_settings(influxd, influx_database)) as sink:
        await sink.write([event])

    [point] = points_of(influxd, influx_database, event.user_id)
    assert point["time"] == 1_738_367_999_999_999_000


@pytest.mark.services
@pytest.mark.asyncio
async def test_a_redelivered_event_overwrites_itself(
    influxd: InfluxdServer, influx_database: str
) -> None:
    """Same measurement, tags and timestamp: InfluxDB keeps one point, so retries never duplicate."""
    event = make_event()
    async with InfluxSink(v1_settings(influxd, influx_database)) as sink:
        await sink.write([event])
        await sink.write([event])
        await sink.write([event, event])

    points = points_of(influxd, influx_database, event.user_id)
    assert [point["eventId"] for point in points] == [event.event_id]


@pytest.mark.services
@pytest.mark.asyncio
async def test_re_running_a_cell_is_a_new_point(
    influxd: InfluxdServer, influx_database: str
) -> None:
    first = make_event(execution_count=1)
    rerun = make_event(
        user_id=first.user_id,
        execution_count=2,
        event_time=EVENT_TIME + timedelta(milliseconds=1),
    )
    async with InfluxSink(v1_settings(influxd, influx_database)) as sink:
        await sink.write([first, rerun])

    points = points_of(influxd, influx_database, first.user_id)
    assert [(p["eventId"], p["executionCount"]) for p in points] == [
        (first.event_id, 1),
        (rerun.event_id, 2),
    ]


@pytest.mark.services
@pytest.mark.asyncio
async def test_writes_into_the_configured_retention_policy(
    influxd: InfluxdServer, influx_database: str
) -> None:
    influxd.query(
        f'CREATE RETENTION POLICY "week" ON "{influx_database}" DURATION 7d REPLICATION 1'
    )
    event = make_event(event_time=datetime.now(UTC).replace(microsecond=0))
    settings = v1_settings(influxd, influx_database, retention_policy="week")
    async with InfluxSink(settings) as sink:
        await sink.write([event])

    rows = influxd.rows(
        f'SELECT "eventId" FROM "week".student_progress WHERE "userId" = \'{event.user_id}\'',
        db=influx_database,
    )
    assert [row["eventId"] for row in rows] == [event.event_id]
    assert points_of(influxd, influx_database, event.user_id) == []


@pytest.mark.services
@pytest.mark.asyncio
async def test_an_unknown_database_fails_at_once_as_an_outage_not_as_bad_data(
    influxd: InfluxdServer,
) -> None:
    settings = v1_settings(influxd, "no_such_database")
    async with InfluxSink(settings) as sink:
        with pytest.raises(InfluxSinkError) as raised:
            await sink.write([make_event()])

    assert isinstance(raised.value, SinkError)
    assert raised.value.retryable is True  # every event would fail: never a dead letter
    assert raised.value.status == 404
    assert "database not found" in str(raised.value)


@pytest.mark.services
@pytest.mark.asyncio
async def test_server_down_is_retryable_and_the_same_sink_writes_once_it_is_back(
    influxd_factory: Callable[..., InfluxdServer],
) -> None:
    server = influxd_factory()
    server.create_database("course")
    event = make_event()
    async with InfluxSink(v1_settings(server, "course")) as sink:
        assert await sink.ping() is True
        server.stop()

        with pytest.raises(InfluxSinkError) as raised:
            await sink.write([event])
        assert raised.value.retryable is True
        assert await sink.ping() is False

        server.start()
        await sink.write([event])

    assert [p["eventId"] for p in points_of(server, "course", event.user_id)] == [event.event_id]


@pytest.mark.services
@pytest.mark.asyncio
async def test_writes_with_basic_auth_and_refuses_a_wrong_password_without_retrying(
    influxd_factory: Callable[..., InfluxdServer],
) -> None:
    server = influxd_factory(admin=("teacher", SECRET))
    server.create_database("course")
    event = make_event()
    right = v1_settings(server, "course", username="teacher", password=SECRET)
    wrong = v1_settings(server, "course", username="teacher", password="guess")

    async with InfluxSink(right) as sink:
        await sink.write([event])
    async with InfluxSink(wrong) as sink:
        with pytest.raises(InfluxSinkError) as raised:
            await sink.write([event])

    assert (raised.value.status, raised.value.retryable) == (401, True)
    assert [p["eventId"] for p in points_of(server, "course", event.user_id)] == [event.event_id]


# --- the influxdb-client /api/v2/write path, against VictoriaMetrics ---------------------------


@pytest.mark.services
@pytest.mark.asyncio
async def test_v2_client_writes_tags_and_numeric_fields(
    victoria_metrics: VictoriaMetricsServer,
) -> None:
    """The v2 path (influxdb-client, POST /api/v2/write) against VictoriaMetrics.

    No InfluxDB 2.x/3.x server runs here; VictoriaMetrics accepts the same request. It stores
    each field as a metric `student_progress_<field>` labelled with the tags, keeps
    millisecond timestamps, and keeps no text: the string fields (eventId, errorMessage)
    arrive as metrics with the value 0, so only tags, numeric and boolean fields are asserted.
    """
    event = make_event(event_time=datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=UTC))
    settings = InfluxSettings(
        url=victoria_metrics.url, api="v2", org="school", bucket="course", token=SECRET
    )
    async with InfluxSink(settings) as sink:
        assert await sink.ping() is True
        await sink.write([event])

    series = victoria_metrics.export(
        f'{{__name__=~"student_progress_.*",userId="{event.user_id}"}}'
    )
    values = {s["metric"]["__name__"]: (s["values"], s["timestamps"]) for s in series}
    stamp = [int(event.event_time.timestamp() * 1000)]
    assert values["student_progress_duration"] == ([42.5], stamp)
    assert values["student_progress_hasError"] == ([1], stamp)
    assert values["student_progress_executionCount"] == ([12], stamp)
    for one in series:
        labels = {k: v for k, v in one["metric"].items() if k not in ("__name__", "db")}
        assert labels == {
            "userId": event.user_id,
            "notebook": "course work/lab 1, intro=basics.ipynb",
            "cell": "cell-7f3a",
            "eventType": "cell_executed",
        }


@pytest.mark.asyncio
async def test_v2_client_unreachable_server_is_retryable() -> None:
    settings = InfluxSettings(url=f"http://127.0.0.1:{free_port()}", api="v2", bucket="course")
    async with InfluxSink(settings) as sink:
        assert await sink.ping() is False
        with pytest.raises(InfluxSinkError) as raised:
            await sink.write([make_event()])

    assert raised.value.retryable is True


@pytest.mark.asyncio
@pytest.mark.parametrize(("api", "path"), [("v1", "/write"), ("v2", "/api/v2/write")])
@pytest.mark.parametrize(
    ("status", "retryable"),
    [(500, True), (503, True), (429, True), (408, True), (401, True), (404, True), (400, False)],
)
async def test_server_errors_and_throttling_are_retryable_and_rejections_are_not(
    api: str, path: str, status: int, retryable: bool
) -> None:
    """The sink makes one attempt and says whether the stream consumer should try again."""
    bodies: list[str] = []

    async def answer(request: web.Request) -> web.Response:
        bodies.append(await request.text())
        return web.Response(status=status, text="refused")

    app = web.Application()
    app.router.add_post(path, answer)
    async with TestServer(app, host="127.0.0.1") as server:
        settings = InfluxSettings(
            url=str(server.make_url("")),
            api=api,  # type: ignore[arg-type]
            database="course",
            bucket="course",
        )
        async with InfluxSink(settings) as sink:
            with pytest.raises(InfluxSinkError) as raised:
                await sink.write([make_event()])

    assert (raised.value.status, raised.value.retryable) == (status, retryable)
    assert len(bodies) == 1, "one attempt: retrying is the consumer's job"


# --- secrets ----------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("api", ["v1", "v2"])
async def test_secrets_are_absent_from_repr_errors_and_logs(
    api: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = InfluxSettings(
        url=f"http://127.0.0.1:{free_port()}",
        api=api,  # type: ignore[arg-type]
        bucket="course",
        token=SECRET,
        database="course",
        username="teacher",
        password=SECRET,
    )
    caplog.set_level(logging.DEBUG)
    async with InfluxSink(settings) as sink:
        with pytest.raises(InfluxSinkError) as raised:
            await sink.write([make_event()])
        shown = [repr(settings), str(settings), repr(sink), str(raised.value), caplog.text]

    for text in shown:
        assert SECRET not in text


# --- configuration (c.InfluxDB.*) -----------------------------------------------------------

INFLUX_VARIABLES = (
    "INFLUXDB_URL",
    "INFLUXDB_TOKEN",
    "INFLUXDB_ORG",
    "INFLUXDB_BUCKET",
    "INFLUXDB_DATABASE",
    "INFLUXDB_USERNAME",
    "INFLUXDB_PASSWORD",
)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Callable[[dict[str, str]], None]:
    """Sets exactly the given INFLUXDB_* variables."""

    def set_only(values: dict[str, str]) -> None:
        for name in INFLUX_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_only


def test_options_come_before_the_environment(environment) -> None:
    environment(
        {"INFLUXDB_URL": "http://env:8086", "INFLUXDB_TOKEN": "env-token", "INFLUXDB_ORG": "o"}
    )
    settings = InfluxDB(url="http://given:8086", bucket="course").settings()

    assert settings == InfluxSettings(
        url="http://given:8086", api="v2", org="o", bucket="course", token="env-token"
    )


def test_every_documented_variable_is_a_fallback(environment) -> None:
    environment(
        {
            "INFLUXDB_URL": "http://influx:8086",
            "INFLUXDB_DATABASE": "course",
            "INFLUXDB_USERNAME": "writer",
            "INFLUXDB_PASSWORD": "pw",
        }
    )
    settings = InfluxDB().settings()

    assert settings is not None
    assert (settings.api, settings.database, settings.username, settings.password) == (
        "v1",
        "course",
        "writer",
        "pw",
    )
    environment(
        {
            "INFLUXDB_URL": "http://influx:8086",
            "INFLUXDB_BUCKET": "b",
            "INFLUXDB_ORG": "o",
            "INFLUXDB_TOKEN": "t",
        }
    )
    v2 = InfluxDB().settings()
    assert v2 is not None and (v2.api, v2.bucket, v2.org, v2.token) == ("v2", "b", "o", "t")


def test_no_url_means_the_sink_is_off(environment) -> None:
    environment({})
    assert InfluxDB(bucket="course").settings() is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"url": "http://influx:8086", "api": "v2"}, "needs a bucket"),
        ({"url": "http://influx:8086", "api": "v1"}, "needs a database"),
        ({"url": "influx:8086", "bucket": "b"}, "http"),
        ({"url": f"http://u:{SECRET}@influx:8086", "bucket": "b"}, "must not carry credentials"),
    ],
)
def test_incomplete_settings_are_refused(environment, values: dict[str, str], message: str) -> None:
    environment({})
    with pytest.raises(ValueError, match=message) as raised:
        InfluxDB(**values).settings()
    assert SECRET not in str(raised.value)


def test_an_unknown_api_is_refused() -> None:
    with pytest.raises(ValueError, match="'v1' or 'v2'"):
        InfluxSettings(url="http://influx:8086", api="v3", bucket="b")  # type: ignore[arg-type]
