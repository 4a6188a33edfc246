"""The idle cut-off of the drill-down's "time on cell" is `c.ProgressDashboard.signal_idle_minutes`."""

from __future__ import annotations

import json

import pytest

from tests.courses_like import call, course_server_config, send
from tests.server.test_cell_drilldown_api import PATH, fail, run


@pytest.fixture
def jp_server_config(database_url):
    config = course_server_config(database_url)
    config["ProgressDashboard"] = {"signal_idle_minutes": 0.5}
    return config


async def test_time_on_cell_counts_each_gap_up_to_the_configured_cut_off(jp_fetch):
    await send(jp_fetch, "s101a", fail("c1", 0, "E"), fail("c1", 60, "E"), run("c1", 80))
    response = await call(jp_fetch, "prof101", "cells", "latest", notebook=PATH, cell="c1")
    [student] = json.loads(response.body)["students"]
    assert student["signals"]["timeOnCellS"] == 30 + 20, "60 s is a break: only 30 s count"
