"""Retention on a running server: the supervised purge task."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import make_event

from .conftest import decoded
from .identities import server_config

pytestmark = pytest.mark.usefixtures("jp_serverapp")

OLD = (datetime.now(UTC) - timedelta(days=40)).isoformat()


@pytest.fixture
def jp_server_config(database_url):
    # The implicit course keeps 30 days; the purge runs every second.
    config = server_config(database_url, purge_interval_minutes=1 / 60)
    config["Privacy"]["courses"] = {"default": {"retention_days": 30}}
    return config


async def test_the_purge_task_deletes_what_is_past_retention_and_keeps_the_rest(api, rows):
    recent = make_event()
    posted = await api(
        "events", "s3-token", method="POST", body=[make_event(eventTime=OLD), recent]
    )
    assert decoded(posted)["processed_count"] == 2
    deadline = time.monotonic() + 120
    while len(await rows("SELECT event_id FROM cell_executions")) > 1:
        assert time.monotonic() < deadline, "the purge task did not run"
        await asyncio.sleep(0.5)
    assert await rows("SELECT event_id FROM cell_executions") == [{"event_id": recent["eventId"]}]
