"""The Redis ACL of docs/security.md is enough for a collector, and no more than its own keys."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest
from pipeline_kit import eventually
from redis.asyncio import Redis
from redis.exceptions import NoPermissionError, RedisError

from tests.conftest import make_event

pytestmark = pytest.mark.services

SECURITY_DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
PASSWORD = "a-long-random-password"
ADMIN = "acl-test-admin"


def documented_acl() -> list[list[str]]:
    """The ACL SETUSER lines of the docs (the tracker's user, the default user off)."""
    lines = re.findall(r"^\s*(ACL SETUSER .+)$", SECURITY_DOC.read_text(), re.MULTILINE)
    assert any(" progress-tracker " in line for line in lines), lines
    return [line.split() for line in lines]


@pytest.fixture
def redis(private_redis):
    """A Redis with AOF whose users are the documented ones (and an admin for the test)."""
    server = private_redis(appendonly=True)

    async def configure():
        client = Redis.from_url(server.url)
        await client.execute_command(f"ACL SETUSER {ADMIN} on >{PASSWORD} ~* &* +@all")
        for rule in documented_acl():
            await client.execute_command(*rule)
        await client.aclose()

    asyncio.run(configure())
    return server


@pytest.fixture
def tracker_url(redis) -> str:
    return f"redis://progress-tracker:{PASSWORD}@127.0.0.1:{redis.port}/0"


@pytest.fixture
def jp_server_config(jp_server_config, tracker_url, postgres_url):
    jp_server_config["ProgressTracker"].update(database_url=postgres_url, redis_url=tracker_url)
    return {**jp_server_config, "EventQueue": {"key_prefix": "progress-tracker"}}


async def test_a_collector_works_as_the_documented_user_and_warns_about_nothing(
    jp_fetch, jp_ws_fetch, jp_serverapp, redis
):
    app = next(iter(jp_serverapp.extension_manager.extension_apps["progress_tracker"]))
    await app._start_jupyter_server_extension(jp_serverapp)
    ws = await jp_ws_fetch("api", "v1", "ws")
    batch = [make_event(cellId=f"c{i}") for i in range(3)]
    response = await jp_fetch("api", "v1", "events", method="POST", body=json.dumps(batch))
    assert response.code == 202
    pushed: list[str] = []
    while len(pushed) < 3:
        message = json.loads(await asyncio.wait_for(ws.read_message(), 20))
        pushed += [e["eventId"] for e in message.get("events", [])]
    assert pushed == [e["eventId"] for e in batch]
    ws.close()

    async def stored():
        health = json.loads((await jp_fetch("api", "v1", "health")).body)
        return health if health["sinks"]["database"]["persisted"] == 3 else None

    health = await eventually(stored)
    assert health["queue"]["durability"]["mode"] == "aof", "checked through INFO, not CONFIG"
    assert health["queue"]["groups"]["database"]["consumers"] >= 1
    assert health["warnings"] == []
    admin = Redis.from_url(f"redis://{ADMIN}:{PASSWORD}@127.0.0.1:{redis.port}/0")

    async def subscribed():  # to its own channel of help queue changes
        [(_, count)] = await admin.pubsub_numsub("progress-tracker:help")
        return count == 1

    await eventually(subscribed, timeout=60)
    await admin.aclose()
    listed = json.loads((await jp_fetch("api", "v1", "deadletters")).body)
    assert listed == {"deadLetters": []}


async def test_the_documented_user_may_touch_nothing_else(redis, tracker_url):
    tracker = Redis.from_url(tracker_url)
    for forbidden in (
        lambda: tracker.set("somebody-else:key", "x"),
        lambda: tracker.get("somebody-else:key"),
        lambda: tracker.publish("somebody-else:help", "x"),
        lambda: tracker.config_get("appendonly"),
        lambda: tracker.config_set("appendonly", "no"),
        tracker.flushall,
    ):
        with pytest.raises(NoPermissionError):
            await forbidden()
    assert await tracker.publish("progress-tracker:help", "{}") == 0, "its own channel: allowed"
    await tracker.aclose()
    anonymous = Redis.from_url(f"redis://127.0.0.1:{redis.port}/0")
    with pytest.raises(RedisError):  # NOAUTH: the default user is off
        await anonymous.ping()
    await anonymous.aclose()
