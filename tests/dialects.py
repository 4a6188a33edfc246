"""The course server (tests/courses_like.py) on both relational stores: SQLite, and a private
database on the shared PostgreSQL (a missing PostgreSQL fails the run under CI, as every missing
service does). A test module imports both fixtures."""

from __future__ import annotations

import pytest
import pytest_asyncio

from tests.conftest import require
from tests.courses_like import course_server_config
from tests.services.postgres import (
    SHARED,
    create_database,
    drop_database,
    private_database_name,
    reachable,
)


@pytest_asyncio.fixture(params=["sqlite", "postgresql"])
async def database_url(request, tmp_path):
    """Each test on SQLite and on PostgreSQL (a private database on the shared server)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/progress.sqlite"
        return
    require(reachable(), "no PostgreSQL on 127.0.0.1:5432")
    name = private_database_name()
    await create_database(SHARED, name)
    yield f"{SHARED}/{name}"
    await drop_database(SHARED, name)


@pytest.fixture
def jp_server_config(database_url):
    return course_server_config(database_url)
