"""A server with Redis keeps the per-user budget and name bounds in Redis, for every replica."""

from __future__ import annotations

import json

import pytest
from tornado.httpclient import HTTPClientError

from progress_tracker.access.budget_redis import RedisLedger
from tests.conftest import make_event

pytestmark = pytest.mark.services


@pytest.fixture
def jp_server_config(postgres_url, redis_url, redis_prefix):
    return {
        "ServerApp": {
            "jpserver_extensions": {"progress_tracker": True, "jupyter_server_terminals": False},
            "allow_unauthenticated_access": False,
        },
        "ProgressTracker": {
            "database_url": postgres_url,
            "redis_url": redis_url,
            "owner_name": "teacher",
        },
        # the machine's shared Redis persists nothing: accepted as a volatile queue
        "EventQueue": {"key_prefix": redis_prefix, "allow_volatile": True},
        "EventIntake": {"user_events_per_minute": 150, "user_max_notebooks": 2},
    }


async def post(jp_fetch, events):
    try:
        response = await jp_fetch("api", "v1", "events", method="POST", body=json.dumps(events))
    except HTTPClientError as err:
        response = err.response
    return response.code, json.loads(response.body), response.headers


async def test_the_collector_answers_429_and_422_from_its_redis_ledger(
    jp_fetch, jp_serverapp, redis_url, redis_prefix
):
    app = next(iter(jp_serverapp.extension_manager.extension_apps["progress_tracker"]))
    await app._start_jupyter_server_extension(jp_serverapp)
    assert isinstance(app.runtime.ledger, RedisLedger)
    status, _, _ = await post(jp_fetch, [make_event(notebookPath=f"n{i}.ipynb") for i in range(2)])
    assert status == 202
    status, reply, _ = await post(jp_fetch, [make_event(notebookPath="n3.ipynb")])
    assert status == 422
    assert reply["errors"] == [
        {
            "index": 0,
            "field": "notebookPath",
            "error": "one user may send events about at most 2 notebooks",
        }
    ]
    status, _, _ = await post(jp_fetch, [make_event(notebookPath="n0.ipynb") for _ in range(100)])
    assert status == 202
    status, _, headers = await post(
        jp_fetch, [make_event(notebookPath="n0.ipynb") for _ in range(100)]
    )
    assert status == 429
    assert int(headers["Retry-After"]) >= 1

    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        keys = {key.decode() for key in client.scan_iter(match=f"{redis_prefix}:*")}
    finally:
        client.close()
    assert f"{redis_prefix}:budget:teacher" in keys
    assert f"{redis_prefix}:names:teacher" in keys
