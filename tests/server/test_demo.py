"""The simulated class that fills a newcomer's dashboard."""

from __future__ import annotations

import asyncio
import json

import pytest

from progress_tracker.demo import DEMO_NOTEBOOK, STUDENTS


@pytest.fixture
def tracker_config():
    return {"demo_class": True}


async def test_the_demo_class_fills_the_dashboard_and_keeps_working(jp_fetch, jp_serverapp):
    app = next(iter(jp_serverapp.extension_manager.extension_apps["progress_tracker"]))
    await app._start_jupyter_server_extension(jp_serverapp)
    snapshot: dict = {}
    for _ in range(100):
        snapshot = json.loads((await jp_fetch("api", "v1", "progress")).body)
        if len(snapshot["students"]) == len(STUDENTS):
            break
        await asyncio.sleep(0.1)
    assert snapshot["notebook"] == DEMO_NOTEBOOK
    assert {s["userId"] for s in snapshot["students"]} == set(STUDENTS)
    assert any(c["status"] == "failed" for s in snapshot["students"] for c in s["cells"].values())
    errors = json.loads(
        (await jp_fetch("api", "v1", "errors", params={"notebook": DEMO_NOTEBOOK})).body
    )
    assert any(e["students"] > 1 for cell in errors["cells"] for e in cell["errors"])
