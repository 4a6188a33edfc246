"""Collectors that scale out: two processes share one Redis and one database."""

from __future__ import annotations

import asyncio
import json

import pytest
from pipeline_kit import Kit, event, eventually
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from progress_tracker.config.influx import InfluxSettings
from progress_tracker.sinks.database import DatabaseSink
from progress_tracker.sinks.influx import InfluxSink
from progress_tracker.store.writer import EventWriter
from tests.conftest import make_event
from tests.jupyter_process import JupyterServer

pytestmark = pytest.mark.services


async def _socket(server: JupyterServer):
    request = HTTPRequest(
        f"ws://127.0.0.1:{server.port}/api/v1/ws",
        headers={"Authorization": f"token {server.token}"},
    )
    return await websocket_connect(request)


async def _read_ids(ws, count: int) -> list[str]:
    """Event ids of the live messages; both collectors publish on one gapless sequence."""
    ids: list[str] = []
    seqs: list[int] = []
    while len(ids) < count:
        message = json.loads(await asyncio.wait_for(ws.read_message(), 15))
        if message["type"] == "events":
            ids += [e["eventId"] for e in message["events"]]
            seqs.append(message["seq"])
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    return ids


@pytest.mark.asyncio
async def test_two_collectors_store_each_event_once_and_both_dashboards_see_all(
    tmp_path, postgres_url, redis_url, redis_prefix
):
    options = (
        f"--ProgressTracker.redis_url={redis_url}",
        f"--EventQueue.key_prefix={redis_prefix}",
        "--EventQueue.allow_volatile=True",  # the machine's shared Redis persists nothing
    )
    first = JupyterServer(tmp_path / "a", postgres_url, *options)
    second = JupyterServer(tmp_path / "b", postgres_url, *options)
    try:
        await asyncio.gather(asyncio.to_thread(first.start), asyncio.to_thread(second.start))
        sockets = [await _socket(first), await _socket(second)]
        to_first = [make_event(cellId=f"a{i}") for i in range(40)]
        to_second = [make_event(cellId=f"b{i}") for i in range(40)]
        for index in range(0, 40, 10):
            for server, batch in ((first, to_first), (second, to_second)):
                status, _ = await asyncio.to_thread(
                    server.call, "POST", "events", batch[index : index + 10]
                )
                assert status == 202
        everything = {e["eventId"] for e in to_first + to_second}
        for ws in sockets:
            assert set(await _read_ids(ws, 80)) == everything
            ws.close()
        _, listing = await asyncio.to_thread(
            second.call, "GET", "executions?notebook=course/lab1.ipynb&limit=1000"
        )
        stored = [e["eventId"] for e in listing["executions"]]
        assert sorted(stored) == sorted(everything), "each event stored exactly once"
        _, health = await asyncio.to_thread(first.call, "GET", "health")
        writers = health["sinks"]["database"]["writers"]
        assert writers == 2, "each collector writes PostgreSQL through two consumers"
        assert health["queue"]["groups"]["database"]["consumers"] == 2 * writers, "one group"
    finally:
        for server in (first, second):
            if server.process and server.process.poll() is None:
                server.stop()


@pytest.mark.asyncio
async def test_influxdb_down_does_not_hold_back_postgresql_and_catches_up_later(
    influxd_factory, postgres_url, redis_url, redis_prefix
):
    influx = influxd_factory()
    database = "progress"
    influx.create_database(database)
    settings = InfluxSettings(url=influx.url, api="v1", database=database)
    async with Kit(postgres_url, redis_url, redis_prefix) as kit:
        sink = InfluxSink(settings)
        try:
            pipeline = await kit.pipeline(
                sinks=[DatabaseSink(EventWriter(kit.engine)), sink], max_backoff_s=0.5
            )
            influx.stop()
            batch = [event(user="ada", cell_id=f"c{i}") for i in range(25)]
            await kit.stream().append(batch)

            async def postgres_has_all():
                return await kit.stored() == 25

            await eventually(postgres_has_all)
            health = await pipeline.health()
            assert (
                health["queue"]["groups"]["influxdb"]["pending"]
                + (health["queue"]["groups"]["influxdb"]["lag"] or 0)
                > 0
            ), "InfluxDB's share waits in its own group"
            assert health["sinks"]["influxdb"]["lastError"]

            influx.start()

            async def influx_has_all():
                rows = influx.rows('SELECT count("hasError") FROM student_progress', db=database)
                return rows and rows[0]["count"] == 25

            await eventually(influx_has_all, timeout=30)
        finally:
            await sink.close()
