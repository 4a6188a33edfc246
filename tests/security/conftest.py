"""A hostile student against the embedded server, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from tests.conftest import require
from tests.services.postgres import (
    SHARED,
    create_database,
    drop_database,
    private_database_name,
    reachable,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """Each test runs once on a private SQLite file and once on a private PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/progress.sqlite"
        return
    require(reachable(port=5432), "PostgreSQL is not listening on 127.0.0.1:5432")
    name = private_database_name()
    asyncio.run(create_database(SHARED, name))
    yield f"{SHARED}/{name}"
    asyncio.run(drop_database(SHARED, name))


def runtime_of(jp_serverapp) -> Any:
    """The tracker's runtime inside a test server."""
    return next(iter(jp_serverapp.extension_manager.extension_apps["progress_tracker"])).runtime


async def call(jp_fetch, *parts: str, method: str = "GET", body: Any = None, **kwargs):
    """(status, decoded JSON or text, headers) of a request; errors are answers too."""
    if body is not None and not isinstance(body, bytes | str):
        body = json.dumps(body)
    try:
        response = await jp_fetch(*parts, method=method, body=body, **kwargs)
    except HTTPClientError as err:
        response = err.response
    raw = response.body or b""
    try:
        decoded: Any = json.loads(raw)
    except ValueError:
        decoded = raw.decode(errors="replace")
    return response.code, decoded, response.headers


async def post_events(jp_fetch, events: Any, **kwargs):
    """POST a batch to api/v1/events: (status, reply, headers)."""
    return await call(jp_fetch, "api", "v1", "events", method="POST", body=events, **kwargs)
