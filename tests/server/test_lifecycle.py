"""A server's life: migrations on an empty database, restarts that keep data, clean shutdowns."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import current_revision, head_revision, upgrade_to_head
from tests.conftest import make_event
from tests.jupyter_process import JupyterServer


@pytest.mark.asyncio
async def test_migrations_build_every_table_on_an_empty_database_and_rerun_safely(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/empty.sqlite")
    try:
        assert await current_revision(engine) is None
        await upgrade_to_head(engine)
        await upgrade_to_head(engine)
        assert await current_revision(engine) == head_revision()
        async with engine.connect() as conn:
            tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
        assert {"students", "notebooks", "cells", "cell_executions", "notebook_events"} <= tables
    finally:
        await engine.dispose()


@pytest.fixture
def server(tmp_path):
    instance = JupyterServer(tmp_path, f"sqlite+aiosqlite:///{tmp_path}/progress.sqlite")
    yield instance
    if instance.process and instance.process.poll() is None:
        instance.process.kill()
        instance.process.wait()


def test_stored_events_survive_a_restart_and_shutdown_is_clean(server):
    server.start()
    events = [make_event(cellId=f"cell-{i}", cellIndex=i) for i in range(3)]
    assert server.call("POST", "events", events)[0] == 202
    assert server.stop() == 0

    server.start()
    _, snapshot = server.call("GET", "progress")
    assert snapshot["notebook"] == "course/lab1.ipynb"
    [student] = snapshot["students"]
    assert student["userId"] == "teacher"
    assert set(student["cells"]) == {"cell-0", "cell-1", "cell-2"}
    assert server.call("POST", "events", events)[0] == 202, "a retry after restart is fine"
    _, again = server.call("GET", "executions?notebook=course/lab1.ipynb")
    assert len(again["executions"]) == 3, "and stores nothing twice"
    assert server.stop() == 0

    log = server.log.read_text()
    assert "Traceback" not in log
    assert "Task was destroyed" not in log
    assert "Unclosed" not in log and "unclosed" not in log
