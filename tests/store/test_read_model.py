"""The read model on SQLite: computed by migration 0005 from what was stored before it, checked
and rebuilt by `python -m progress_tracker.store.rebuild`."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import text

from progress_tracker.events import Event
from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import alembic_config, upgrade_to_head
from progress_tracker.store.read import ProgressQueries
from progress_tracker.store.writer import EventWriter

pytestmark = pytest.mark.asyncio
T = datetime(2026, 11, 30, 9, tzinfo=UTC)


def rebuild_command(url: str, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "progress_tracker.store.rebuild", url, *options],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


async def test_migration_0005_computes_the_read_model_from_the_stored_history(tmp_path):
    """History stored under 0003 goes through 0004 (the implicit course) into the read model."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/old.sqlite")
    try:
        async with engine.begin() as conn:
            await conn.run_sync(lambda sync: command.upgrade(alembic_config(sync), "0003"))
            await conn.execute(
                text("INSERT INTO students (id, user_id, created_at) VALUES (1, 'ann', :t)"),
                {"t": T},
            )
            await conn.execute(
                text("INSERT INTO notebooks (id, path, created_at) VALUES (1, 'lab.ipynb', :t)"),
                {"t": T},
            )
            await conn.execute(
                text("INSERT INTO cells (id, notebook_id, cell_id) VALUES (1, 1, 'c')")
            )
            for number, failed in enumerate((True, True, False)):
                await conn.execute(
                    text(
                        "INSERT INTO cell_executions (event_id, student_id, notebook_id, cell_pk,"
                        " has_error, error_message, execution_count, event_time, received_at)"
                        " VALUES (:e, 1, 1, 1, :f, :m, :n, :t, :t)"
                    ),
                    {
                        "e": f"e{number}",
                        "f": failed,
                        "m": "KeyError: 'x'" if failed else None,
                        "n": number + 1,
                        "t": T.replace(minute=number),
                    },
                )
        await upgrade_to_head(engine)
        [ann] = (await ProgressQueries(engine).progress("lab.ipynb"))["students"]
        assert ann["cells"]["c"] == {
            "status": "succeeded",
            "attempts": 3,
            "errors": 2,
            "lastError": "KeyError: 'x'",
            "lastActivity": T.replace(minute=2).isoformat(),
            "executionCount": 3,
        }
        [listed] = await ProgressQueries(engine).notebooks()
        assert (listed["students"], listed["executions"]) == (1, 3)
        async with engine.connect() as conn:
            courses = (await conn.execute(text("SELECT DISTINCT course_id FROM cell_states"))).all()
        assert [tuple(row) for row in courses] == [("default",)], "0004's implicit course"
    finally:
        await engine.dispose()


async def test_the_command_finds_a_damaged_read_model_and_rebuilds_it(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path}/progress.sqlite"
    engine = create_engine(url)
    try:
        await upgrade_to_head(engine)
        event = Event.model_validate(
            {
                "eventId": "e1",
                "eventType": "cell_executed",
                "eventTime": T.isoformat(),
                "notebookPath": "lab.ipynb",
                "cellId": "c",
                "userId": "ann",
                "receivedAt": T,
            }
        )
        await EventWriter(engine).write([event])
        assert rebuild_command(url, "--check").returncode == 0
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE cell_states SET attempts = 99"))
        checked = rebuild_command(url, "--check")
        assert checked.returncode == 1 and "cell_states" in checked.stdout
        assert rebuild_command(url).returncode == 0
        assert rebuild_command(url, "--check").returncode == 0
        [ann] = (await ProgressQueries(engine).progress("lab.ipynb"))["students"]
        assert ann["cells"]["c"]["attempts"] == 1
    finally:
        await engine.dispose()
