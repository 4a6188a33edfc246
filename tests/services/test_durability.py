"""A 202 is durable: the collector checks that Redis persists, at start and while it runs.

Each test runs a Redis of its own: with AOF (what the docs ask for), without persistence
(Debian's Redis with `save ""`), or with a password.
"""

from __future__ import annotations

import json

import pytest
from pipeline_kit import Kit, event, eventually
from redis.asyncio import Redis
from tornado.httpclient import HTTPClientError

from progress_tracker.config import QueueSettings
from progress_tracker.queue.stream import QueueFull
from tests.conftest import make_event

pytestmark = pytest.mark.services


async def post(jp_fetch, events) -> tuple[int, dict]:
    try:
        response = await jp_fetch("api", "v1", "events", method="POST", body=json.dumps(events))
    except HTTPClientError as err:
        return err.code, json.loads(err.response.body)
    return response.code, json.loads(response.body)


async def health(jp_fetch) -> tuple[int, dict]:
    try:
        response = await jp_fetch("api", "v1", "health")
    except HTTPClientError as err:
        return err.code, json.loads(err.response.body)
    return response.code, json.loads(response.body)


async def metric(jp_fetch, name: str) -> float:
    text = (await jp_fetch("metrics")).body.decode()
    [line] = [line for line in text.splitlines() if line.startswith(f"{name} ")]
    return float(line.split()[1])


@pytest.fixture
def database_url(postgres_url):
    return postgres_url


@pytest.fixture
def queue_options():
    return {}


@pytest.fixture
def jp_server_config(jp_server_config, redis, redis_prefix, queue_options):
    jp_server_config["ProgressTracker"]["redis_url"] = redis.url
    return {**jp_server_config, "EventQueue": {"key_prefix": redis_prefix, **queue_options}}


class TestRedisWithoutPersistence:
    @pytest.fixture
    def redis(self, private_redis):
        return private_redis(appendonly=False)

    async def test_the_collector_refuses_events_and_names_the_fix(self, jp_fetch, redis, caplog):
        status, reply = await post(jp_fetch, [make_event()])
        assert status == 503
        assert "appendonly" in reply["message"]
        assert "c.EventQueue.allow_volatile = True" in reply["message"]
        assert (await health(jp_fetch))[0] == 503
        client = Redis.from_url(redis.url)
        assert await client.keys("*:events") == [], "nothing was queued"
        await client.aclose()
        assert any("does not persist the queue" in r.getMessage() for r in caplog.records)

    class TestAcceptedAsVolatile:
        @pytest.fixture
        def queue_options(self):
            return {"allow_volatile": True}

        async def test_it_runs_and_health_and_metrics_say_the_queue_is_volatile(self, jp_fetch):
            assert (await post(jp_fetch, [make_event()]))[0] == 202
            status, report = await health(jp_fetch)
            assert status == 200
            assert report["queue"]["durability"]["mode"] == "volatile"
            assert any("volatile" in warning for warning in report["warnings"])
            assert await metric(jp_fetch, "progress_tracker_queue_volatile") == 1
            assert await metric(jp_fetch, "progress_tracker_queue_durable") == 0


class TestRedisWithAof:
    @pytest.fixture
    def redis(self, private_redis):
        return private_redis(appendonly=True)

    @pytest.fixture
    def queue_options(self):
        return {"durability_check_interval_s": 0.2}

    async def test_it_runs_durable_and_health_and_metrics_say_so(self, jp_fetch):
        assert (await post(jp_fetch, [make_event()]))[0] == 202
        status, report = await health(jp_fetch)
        assert status == 200
        durability = report["queue"]["durability"]
        assert (durability["mode"], durability["appendonly"]) == ("aof", True)
        assert durability["appendfsync"] == "everysec"
        assert not any("volatile" in warning for warning in report["warnings"])
        assert await metric(jp_fetch, "progress_tracker_queue_durable") == 1

    async def test_turning_aof_off_while_running_stops_the_202s_until_it_is_back(
        self, jp_fetch, redis
    ):
        assert (await post(jp_fetch, [make_event()]))[0] == 202
        admin = Redis.from_url(redis.url)
        await admin.config_set("appendonly", "no")

        async def refused():
            status, reply = await post(jp_fetch, [make_event()])
            return reply if status == 503 else None

        reply = await eventually(refused)
        assert "appendonly" in reply["message"]
        await admin.config_set("appendonly", "yes")

        async def accepted():
            return (await post(jp_fetch, [make_event()]))[0] == 202

        await eventually(accepted)
        await admin.aclose()

    class TestWaitingForTheFsync:
        @pytest.fixture
        def queue_options(self):
            return {"wait_for_fsync": True}

        async def test_a_202_waits_for_the_fsync_where_redis_can_and_says_why_it_cannot(
            self, jp_fetch, redis
        ):
            client = Redis.from_url(redis.url)
            version = (await client.info("server"))["redis_version"]
            await client.aclose()
            status, reply = await post(jp_fetch, [make_event()])
            if tuple(int(part) for part in version.split(".")[:2]) >= (7, 2):
                assert status == 202
            else:  # this machine's Redis (7.0) has no WAITAOF: the operator is told so
                assert status == 503
                assert "WAITAOF (Redis 7.2 or later)" in reply["message"]
                assert f"is {version}" in reply["message"]


class TestAnOpenRedis:
    @pytest.fixture
    def redis(self, private_redis):
        return private_redis(appendonly=True)

    async def test_the_collector_warns_loudly_that_redis_needs_no_password(self, jp_fetch, caplog):
        assert (await post(jp_fetch, [make_event()]))[0] == 202
        warning = "accepts clients without a password"
        assert any(warning in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)
        assert any(warning in text for text in (await health(jp_fetch))[1]["warnings"])


class TestARedisWithAPassword:
    @pytest.fixture
    def redis(self, private_redis):
        return private_redis(appendonly=True, password="s3cret-for-tests")

    async def test_no_warning_about_the_password(self, jp_fetch, caplog):
        assert (await post(jp_fetch, [make_event()]))[0] == 202
        assert not any("without a password" in r.getMessage() for r in caplog.records)
        assert not any("password" in text for text in (await health(jp_fetch))[1]["warnings"])


@pytest.mark.asyncio
async def test_the_queue_is_bounded_in_bytes_and_takes_events_again_once_consumed(
    postgres_url, redis_url, redis_prefix
):
    async with Kit(postgres_url, redis_url, redis_prefix) as kit:
        bounded = QueueSettings(key_prefix=redis_prefix, allow_volatile=True, max_bytes=20_000)
        stream = kit.stream(max_bytes=bounded.max_bytes)
        big = [event(cell_id=f"c{i}", code="x" * 2000) for i in range(3)]  # ~7 KB a batch
        await stream.append(big)
        await stream.append(big)
        with pytest.raises(QueueFull, match="20000 bytes"):
            for _ in range(3):
                await stream.append(big)
        assert await kit.redis.xlen(kit.keys.events) < 5, "nothing beyond the bound was taken"
        await kit.pipeline(queue=bounded)

        async def emptied():
            return int(await kit.redis.get(kit.keys.events_bytes) or 0) == 0

        await eventually(emptied)
        await stream.append(big)
