"""Retention and subject rights on the real stores: PostgreSQL, InfluxDB 1.x and Redis."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from pipeline_kit import Kit, event, eventually
from sqlalchemy import text

from progress_tracker.config.influx import InfluxSettings
from progress_tracker.events import EventType
from progress_tracker.privacy.influx import InfluxPoints
from progress_tracker.privacy.policy import CoursePolicy, PrivacySettings
from progress_tracker.privacy.redis_data import RedisSubjectData
from progress_tracker.privacy.service import PrivacyService
from progress_tracker.queue.deadletters import DeadLetters
from progress_tracker.sinks.database import DatabaseSink
from progress_tracker.sinks.influx import InfluxSink
from progress_tracker.store.writer import EventWriter

pytestmark = [pytest.mark.services, pytest.mark.asyncio]

NOW = datetime.now(UTC).replace(microsecond=0)
OLD = NOW - timedelta(days=40)  # past a 30-day retention
RECENT = NOW - timedelta(days=2)


def influx_v1(influxd, database: str) -> InfluxSettings:
    return InfluxSettings(url=influxd.url, api="v1", database=database)


def point_ids(influxd, database: str, where: str = "") -> set[str]:
    rows = influxd.rows(f"SELECT eventId FROM student_progress {where}", db=database)
    return {row["eventId"] for row in rows}


async def row_ids(kit: Kit, table: str, where: str = "") -> set[str]:
    async with kit.reader.connect() as conn:
        rows = await conn.execute(
            text(f"SELECT event_id FROM {table} t JOIN students s ON s.id = t.student_id {where}")
        )
        return {row[0] for row in rows}


async def test_purge_removes_exactly_what_is_past_retention_in_postgresql_and_influxdb(
    postgres_url, redis_url, redis_prefix, influxd, influx_database
):
    old = [event("student1", event_time=OLD), event("student2", event_time=OLD)]
    recent = [event("student1", event_time=RECENT), event("student2", event_time=NOW)]
    old_opened = event("student1", event_type=EventType.NOTEBOOK_OPENED, event_time=OLD)
    new_opened = event("student2", event_type=EventType.NOTEBOOK_OPENED, event_time=RECENT)
    everything = [*old, *recent, old_opened, new_opened]
    settings = PrivacySettings(default=CoursePolicy(retention_days=30))
    async with Kit(postgres_url, redis_url, redis_prefix) as kit:
        await EventWriter(kit.engine).write(everything)
        async with InfluxSink(influx_v1(influxd, influx_database)) as sink:
            await sink.write(everything)
        service = PrivacyService(kit.engine, settings, influx=influx_v1(influxd, influx_database))

        dry = await service.purge(dry_run=True, now=NOW)
        assert dry["courses"][0]["rows"] == {
            "cell_executions": 2,
            "notebook_events": 1,
            "help_entries": 0,
        }
        assert len(await row_ids(kit, "cell_executions")) == 4
        assert len(point_ids(influxd, influx_database)) == 6

        report = await service.purge(now=NOW)
        assert report["courses"][0]["rows"] == {
            "cell_executions": 2,
            "notebook_events": 1,
            "help_entries": 0,
            "read model": "rebuilt",
        }
        async with kit.reader.connect() as conn:  # the dashboard counts only what remains
            attempts = await conn.execute(text("SELECT sum(attempts) FROM cell_states"))
            assert attempts.scalar_one() == len(recent)
        assert report["courses"][0]["influxdb"] == "deleted"
        assert await row_ids(kit, "cell_executions") == {e.event_id for e in recent}
        assert await row_ids(kit, "notebook_events") == {new_opened.event_id}
        assert point_ids(influxd, influx_database) == {e.event_id for e in [*recent, new_opened]}
        again = await service.purge(now=NOW)
        assert again["courses"][0]["rows"] == {
            "cell_executions": 0,
            "notebook_events": 0,
            "help_entries": 0,
        }


async def test_export_then_erase_leaves_no_row_point_stream_entry_or_dead_letter_of_the_student(
    postgres_url, redis_url, redis_prefix, influxd, influx_database
):
    influx = influx_v1(influxd, influx_database)
    async with Kit(postgres_url, redis_url, redis_prefix) as kit, InfluxSink(influx) as points:
        sinks = [DatabaseSink(EventWriter(kit.engine)), points]
        pipeline = await kit.pipeline(sinks)
        stored = [event("student1"), event("student2")]
        await pipeline.accept(stored[:1])
        await pipeline.accept(stored[1:])
        await eventually(lambda: kit.stored_ids(), timeout=60)
        await eventually(lambda: points_at_least(influxd, influx_database, 2), timeout=60)
        await kit.tasks.stop()  # no consumer runs now: what follows stays in Redis
        queued = [event("student1", code="queued"), event("student2", code="theirs")]
        await kit.stream().append(queued[:1])
        await kit.stream().append(queued)  # a batch of both: the other student's event stays
        await kit.stream().append([event("student2")])
        dead = DeadLetters(kit.redis, kit.keys)
        poison = json.dumps(
            [event("student1", code="poison").model_dump(mode="json", by_alias=True)]
        )
        await dead.add("1-0", poison.encode(), "refused", "database")
        await dead.add("2-0", b'[{"userId": "student1", "code": "cut sho', "unreadable", "database")
        await dead.add("3-0", b'["nothing of theirs"]', "refused", "database")

        service = PrivacyService(
            kit.engine,
            PrivacySettings(),
            influx=influx,
            redis_data=lambda: RedisSubjectData(kit.redis, kit.keys),
            pseudonym_key=lambda: b"key",
        )
        export = await service.export_subject("student1")
        assert [r["event_id"] for r in export["database"]["cell_executions"]] == [
            stored[0].event_id
        ]
        assert [p["eventId"] for p in export["influxdb"]["points"]] == [stored[0].event_id]
        # (the stored batch may still be in the stream too, until the stream is trimmed)
        assert [e["code"] for e in export["redis"]["queued"]].count("queued") == 2
        assert len(export["redis"]["deadLetters"]) == 2

        report = await service.erase_subject("student1")
        assert report["redis"]["queued"] >= 2 and report["redis"]["deadLetters"] == 2

        assert await row_ids(kit, "cell_executions", "WHERE s.user_id = 'student1'") == set()
        assert point_ids(influxd, influx_database, "WHERE \"userId\" = 'student1'") == set()
        entries = await kit.redis.xrange(kit.keys.events)
        assert not any(b"student1" in value for _, f in entries for value in f.values())
        letters = await kit.redis.xrange(kit.keys.dead)
        assert [f[b"event"] for _, f in letters] == [b'["nothing of theirs"]']
        after = await service.export_subject("student1")
        assert all(rows == [] for rows in after["database"].values())
        assert after["influxdb"]["points"] == []
        assert after["redis"] == {"queued": [], "deadLetters": [], "live": []}

        # The other student's queued events are still stored once consumers run again.
        await kit.pipeline(sinks)
        theirs = {queued[1].event_id}
        await eventually(lambda: all_stored(kit, theirs), timeout=60)
        assert await row_ids(kit, "cell_executions", "WHERE s.user_id = 'student1'") == set()


async def all_stored(kit: Kit, ids: set[str]) -> bool:
    return ids <= set(await kit.stored_ids())


async def points_at_least(influxd, database: str, count: int) -> bool:
    return len(point_ids(influxd, database)) >= count


async def test_the_v2_delete_sends_a_time_range_and_a_predicate():
    seen: list[dict] = []

    async def delete(request: web.Request) -> web.Response:
        seen.append(
            {
                "query": dict(request.query),
                "body": await request.json(),
                "auth": request.headers.get("Authorization"),
            }
        )
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/api/v2/delete", delete)
    async with TestServer(app) as server:
        settings = InfluxSettings(
            url=str(server.make_url("/")), api="v2", org="uni", bucket="progress", token="t0k"
        )
        await InfluxPoints(settings).delete(
            tags={"userId": 'o"neil'}, not_tags={"course": ["cs101"]}, before=OLD
        )
    [request] = seen
    assert request["query"] == {"bucket": "progress", "org": "uni"}
    assert request["auth"] == "Token t0k"
    assert request["body"]["start"] == "1970-01-01T00:00:00.000000Z"
    assert request["body"]["stop"].startswith(OLD.strftime("%Y-%m-%dT%H:%M:%S"))
    assert request["body"]["predicate"] == (
        '_measurement="student_progress" AND userId="o\\"neil" AND course!="cs101"'
    )
