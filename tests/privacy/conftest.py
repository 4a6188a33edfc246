"""The privacy tests' server: hub-like users in two courses (tests/privacy/identities.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from progress_tracker.store.engine import create_engine

from .identities import server_config


@pytest.fixture
def jp_server_config(database_url):
    return server_config(database_url)


@pytest.fixture
def api(jp_fetch):
    """Call api/v1/<path> as the user of `token`; errors are returned, bodies decoded."""

    async def call(path: str, token: str, *, method: str = "GET", body: Any = None, **kw: Any):
        kwargs: dict[str, Any] = {"method": method, "raise_error": False, **kw}
        if body is not None:
            kwargs["body"] = body if isinstance(body, str | bytes) else json.dumps(body)
        elif method in ("POST", "PUT"):
            kwargs["body"] = b""
        path, _, query = path.partition("?")
        params = dict(part.split("=", 1) for part in query.split("&") if part)
        response = await jp_fetch(
            "api",
            "v1",
            *path.split("/"),
            headers={"Authorization": f"token {token}"},
            params=params,
            allow_nonstandard_methods=True,
            **kwargs,
        )
        return response

    return call


def decoded(response) -> Any:
    """The JSON body of a response."""
    return json.loads(response.body)


@pytest.fixture
def rows(database_url):
    """Run a SQL query on the server's database; the rows as dicts."""

    async def query(sql: str, **params: Any) -> list[dict[str, Any]]:
        engine = create_engine(database_url)
        try:
            async with engine.connect() as conn:
                result = await conn.execute(text(sql), params)
                return [dict(row._mapping) for row in result]
        finally:
            await engine.dispose()

    return query
