"""The snapshot follows the dashboard's cell-state rules: the same shared cases as its live model.

`tests/fixtures/cell_state_rules.json` is read by this test and by the labextension's jest test
of the live model, so a dashboard shows after a reload what it showed live.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from progress_tracker.events import Event
from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import upgrade_to_head
from progress_tracker.store.read import ProgressQueries
from progress_tracker.store.read.snapshot import RUNNING_WINDOW
from progress_tracker.store.writer import EventWriter

RULES = json.loads((Path(__file__).parents[1] / "fixtures" / "cell_state_rules.json").read_text())
CASES = RULES["cases"]


def test_both_sides_use_the_same_running_window():
    assert RUNNING_WINDOW == timedelta(seconds=RULES["runningWindowSeconds"])


def stored_event(raw: dict[str, Any], now: datetime) -> Event:
    at = now + timedelta(seconds=raw["at"])
    fields = {k: v for k, v in raw.items() if k not in ("at", "userId")}
    fields.setdefault("notebookPath", RULES["notebookPath"])
    return Event.model_validate(
        {**fields, "eventTime": at.isoformat(), "userId": raw["userId"], "receivedAt": at}
    )


def cell_state(snapshot: dict[str, Any], user: str, cell: str, now: datetime) -> dict[str, Any]:
    """The expected-row view of one student x cell of a snapshot."""
    student = next((s for s in snapshot["students"] if s["userId"] == user), None)
    state = (student or {}).get("cells", {}).get(cell)
    if state is None:
        return {"userId": user, "cellId": cell, "status": "none"}
    last = datetime.fromisoformat(state["lastActivity"])
    return {
        "userId": user,
        "cellId": cell,
        "status": state["status"],
        "attempts": state["attempts"],
        "errors": state["errors"],
        "lastError": state["lastError"],
        "lastActivity": round((last - now).total_seconds()),
        "executionCount": state["executionCount"],
    }


@pytest.mark.asyncio
@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
async def test_the_snapshot_follows_the_shared_rules(case, tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/rules.sqlite")
    try:
        await upgrade_to_head(engine)
        now = datetime.now(UTC).replace(microsecond=0)
        writer = EventWriter(engine)
        for raw in case["events"]:
            await writer.write([stored_event(raw, now)])
        snapshot = await ProgressQueries(engine).progress(RULES["notebookPath"])
        for expected in case["expected"]:
            actual = cell_state(snapshot, expected["userId"], expected["cellId"], now)
            assert {key: actual.get(key) for key in expected} == expected
    finally:
        await engine.dispose()
