"""Truthful states in the store: interrupted runs are no errors, kernel status changes end running
cells, migration 0007 reads stored KeyboardInterrupt failures as interruptions, and the read model
kept on write is what a rebuild recounts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from alembic import command
from pydantic import ValidationError
from sqlalchemy import text

from progress_tracker.events import ClientEvent, Event
from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import alembic_config, upgrade_to_head
from progress_tracker.store.read import ProgressQueries
from progress_tracker.store.state.check import differences
from progress_tracker.store.writer import EventWriter

NOW = datetime.now(UTC).replace(microsecond=0)


def event(user: str, kind: str, seconds: int, cell: str | None = "c1", **fields) -> Event:
    at = NOW - timedelta(seconds=seconds)
    return Event.model_validate(
        {
            "eventId": f"{user}-{kind}-{cell}-{seconds}",
            "eventType": kind,
            "eventTime": at.isoformat(),
            "notebookPath": fields.pop("notebookPath", "lab.ipynb"),
            "cellId": cell,
            "userId": user,
            "receivedAt": at,
            **fields,
        }
    )


def client(**fields) -> ClientEvent:
    base = {"eventId": "e1", "eventType": "cell_executed", "eventTime": NOW.isoformat()}
    return ClientEvent.model_validate({**base, **fields})


def test_an_interrupted_run_is_no_error_whatever_the_client_says():
    assert client(interrupted=True, hasError=True).has_error is False
    older = client(hasError=True, errorMessage="KeyboardInterrupt: ")
    assert (older.interrupted, older.has_error) == (True, False)
    other = client(hasError=True, errorMessage="KeyError: 'KeyboardInterrupt'")
    assert (other.interrupted, other.has_error) == (False, True)


def test_a_kernel_status_event_names_its_status():
    unnamed = client(eventType="kernel_status", notebookPath="lab.ipynb")
    assert unnamed.kernel_status == "unknown", "it still ends the running cells"
    with pytest.raises(ValidationError, match="kernelStatus|kernel_status"):
        client(eventType="kernel_status", kernelStatus="Restarting; DROP")
    assert (
        client(eventType="kernel_status", kernelStatus="restarting").kernel_status == "restarting"
    )
    assert client(kernelStatus="dead").kernel_status is None, "only kernel_status carries one"


@pytest_asyncio.fixture
async def engine(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/states.sqlite")
    await upgrade_to_head(engine)
    yield engine
    await engine.dispose()


@pytest.mark.asyncio
async def test_the_read_model_kept_on_write_is_what_a_rebuild_recounts(engine):
    writer = EventWriter(engine)
    batches = [
        [event("ada", "cell_executed", 300, hasError=True, errorMessage="KeyError: 'a'")],
        [event("ada", "cell_executed", 200, interrupted=True, hasError=True)],
        [event("ada", "cell_started", 100), event("bob", "cell_started", 90, cell="c2")],
        [event("ada", "kernel_status", 50, cell=None, kernelStatus="restarting")],
        [event("bob", "kernel_status", 95, cell=None, kernelStatus="started")],  # before his start
        [event("ada", "kernel_status", 70, cell=None, kernelStatus="dead")],  # late and older
    ]
    for batch in batches:
        await writer.write(batch)
    assert await differences(engine) == []
    students = {
        s["userId"]: s["cells"]
        for s in (await ProgressQueries(engine).progress("lab.ipynb"))["students"]
    }
    assert students["ada"]["c1"]["status"] == "interrupted", "the restart ended her running cell"
    assert (students["ada"]["c1"]["attempts"], students["ada"]["c1"]["errors"]) == (2, 1)
    assert students["bob"]["c2"]["status"] == "running", "started after his kernel's status"


@pytest.mark.asyncio
async def test_interrupted_runs_are_no_error_groups(engine):
    writer = EventWriter(engine)
    await writer.write(
        [
            event("ada", "cell_executed", 30, hasError=True, errorMessage="KeyboardInterrupt: "),
            event("bob", "cell_executed", 20, hasError=True, errorMessage="KeyError: 'x'"),
        ]
    )
    [cell] = await ProgressQueries(engine).errors("lab.ipynb")
    assert [group["errorMessage"] for group in cell["errors"]] == ["KeyError: 'x'"]
    assert cell["errors"][0]["studentsNow"] == ["bob"]


@pytest.mark.asyncio
async def test_migration_0007_reads_stored_keyboard_interrupts_as_interruptions(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/old.sqlite")
    t = datetime(2026, 11, 30, 9, tzinfo=UTC)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(lambda sync: command.upgrade(alembic_config(sync), "0006_privacy"))
            await conn.execute(
                text("INSERT INTO students (id, user_id, created_at) VALUES (1, 'ann', :t)"),
                {"t": t},
            )
            await conn.execute(
                text("INSERT INTO notebooks (id, path, created_at) VALUES (1, 'lab.ipynb', :t)"),
                {"t": t},
            )
            await conn.execute(
                text("INSERT INTO cells (id, notebook_id, cell_id) VALUES (1, 1, 'c')")
            )
            for number, message in enumerate(("KeyError: 'x'", "KeyboardInterrupt: ")):
                await conn.execute(
                    text(
                        "INSERT INTO cell_executions (event_id, student_id, notebook_id, cell_pk,"
                        " has_error, error_message, execution_count, event_time, received_at,"
                        " course_id) VALUES (:e, 1, 1, 1, true, :m, :n, :t, :t, 'default')"
                    ),
                    {
                        "e": f"e{number}",
                        "m": message,
                        "n": number + 1,
                        "t": t.replace(minute=number),
                    },
                )
        await upgrade_to_head(engine)
        [ann] = (await ProgressQueries(engine).progress("lab.ipynb"))["students"]
        assert ann["cells"]["c"]["status"] == "interrupted"
        assert (ann["cells"]["c"]["attempts"], ann["cells"]["c"]["errors"]) == (2, 1)
        assert ann["cells"]["c"]["lastError"] == "KeyError: 'x'"
        assert await differences(engine) == []
    finally:
        await engine.dispose()
