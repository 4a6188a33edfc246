"""The Redis ACL of docs/security.md is enough for a collector, and no more than its own keys."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis as redis_sync
from pipeline_kit import eventually
from tornado.httpclient import HTTPClientError

from tests.conftest import make_event, require

pytestmark = pytest.mark.services

SECURITY_DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
PASSWORD = "a-long-random-password"


def documented_acl() -> list[str]:
    """The ACL SETUSER line of the docs, as arguments."""
    [line] = re.findall(
        r"^\s*(ACL SETUSER progress-tracker .+)$", SECURITY_DOC.read_text(), re.MULTILINE
    )
    return line.split()


@pytest.fixture
def acl_redis(tmp_path) -> Iterator[str]:
    """A private Redis whose only tracker user is the documented one; its URL for that user."""
    binary = shutil.which("redis-server")
    require(binary is not None, "redis-server is not installed")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    admin = redis_sync.Redis(port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            admin.ping()
            break
        except redis_sync.ConnectionError:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    admin.execute_command(*documented_acl())
    yield f"redis://progress-tracker:{PASSWORD}@127.0.0.1:{port}/0"
    admin.close()
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def database_url(postgres_url):
    return postgres_url


@pytest.fixture
def tracker_config(acl_redis):
    return {"redis_url": acl_redis}


async def test_a_collector_works_with_the_documented_acl_user_only(
    jp_fetch, jp_ws_fetch, jp_serverapp, acl_redis
):
    app = next(iter(jp_serverapp.extension_manager.extension_apps["progress_tracker"]))
    await app._start_jupyter_server_extension(jp_serverapp)
    runtime = app.runtime
    socket_ = await jp_ws_fetch("api", "v1", "ws")
    batch = [make_event(cellId=f"c{i}") for i in range(3)]
    response = await jp_fetch("api", "v1", "events", method="POST", body=json.dumps(batch))
    assert response.code == 202
    pushed = json.loads(await asyncio.wait_for(socket_.read_message(), 20))
    assert {e["eventId"] for e in pushed["events"]} <= {e["eventId"] for e in batch}

    async def stored():
        return len(await runtime.queries.executions("course/lab1.ipynb")) == 3

    await eventually(stored)
    health = json.loads((await jp_fetch("api", "v1", "health")).body)
    assert health["queue"]["groups"]["database"]["consumers"] >= 1
    listed = json.loads((await jp_fetch("api", "v1", "deadletters")).body)
    assert listed == {"deadLetters": []}
    socket_.close()

    tracker = redis_sync.Redis.from_url(acl_redis)
    try:
        with pytest.raises(redis_sync.exceptions.NoPermissionError):
            tracker.set("somebody-else:key", "x")
        with pytest.raises(redis_sync.exceptions.NoPermissionError):
            tracker.execute_command("FLUSHALL")
    finally:
        tracker.close()
    assert HTTPClientError  # requests above answered without an error
