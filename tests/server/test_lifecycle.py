"""A server's life: migrations on an empty database, restarts that keep data, clean shutdowns."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Self

import pytest
from sqlalchemy import inspect

from progress_tracker.access.mode import Role
from progress_tracker.runtime import Runtime
from progress_tracker.settings import Settings
from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import current_revision, head_revision, upgrade_to_head
from tests.conftest import make_event
from tests.jupyter_process import JupyterServer, free_port


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


# --- failure modes: the extension never blocks the server's start or its shutdown -------------


class BareServer(JupyterServer):
    """`jupyter server` with the extension and a given environment, ready once api/status is
    (whether or not the extension loaded)."""

    def __init__(self, root: Path, env: dict[str, str], *options: str):
        super().__init__(root, None, *options, env=env)

    def __enter__(self) -> Self:
        self.start()
        return self

    def _answers(self) -> bool:
        assert self.process is not None
        assert self.process.poll() is None, "the server exited"
        return self.status("api/status") == 200

    def status(self, path: str, body: object = None) -> int | None:
        """The HTTP status of a call (None while nothing listens)."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/{path}",
            method="GET" if body is None else "POST",
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as err:
            return err.code
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def terminate(self) -> int:
        """SIGTERM, as the hub's spawner sends; the exit code (a hang fails the test)."""
        return self.stop()

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


FORWARDER = {"JUPYTERHUB_USER": "student1", "PROGRESS_TRACKER_URL": "http://127.0.0.1:9/"}


def test_a_forwarder_without_a_hub_token_says_so_and_still_exits_on_sigterm(tmp_path):
    with BareServer(tmp_path, FORWARDER, "--ProgressTracker.mode=forwarder") as server:
        assert server.status("api/v1/events", [make_event()]) == 404, "the extension is not loaded"
        assert server.terminate() == 0
    log = server.log.read_text()
    assert "JUPYTERHUB_API_TOKEN is not set" in log
    assert "AttributeError" not in log


def test_a_forwarder_whose_collector_is_unreachable_answers_503_and_exits(tmp_path):
    env = {**FORWARDER, "JUPYTERHUB_API_TOKEN": "server-token"}
    with BareServer(tmp_path, env, "--ProgressTracker.owner_name=student1") as server:
        assert server.status("api/v1/events", [make_event()]) == 503
        assert server.terminate() == 0
    assert "Traceback" not in server.log.read_text()


def test_a_database_down_at_start_answers_503_until_it_is_back_and_exits(tmp_path):
    down = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/progress"
    with BareServer(tmp_path, {}, f"--ProgressTracker.database_url={down}") as server:
        assert server.status("api/v1/events", [make_event()]) == 503
        assert server.status("api/v1/progress") == 503
        assert server.terminate() == 0
    assert "AttributeError" not in server.log.read_text()


@pytest.mark.asyncio
async def test_stop_and_start_are_safe_in_any_order_and_any_number_of_times(tmp_path):
    settings = Settings(
        role=Role("embedded"),
        data_dir=tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/progress.sqlite",
    )
    runtime = Runtime(settings)
    await runtime.stop()
    await runtime.stop()
    await runtime.start()
    await runtime.start()
    assert runtime.engine is not None
    await runtime.stop()
    await runtime.stop()
    assert runtime.engine is None
    await runtime.ready()
    assert runtime.queries is not None and await runtime.queries.notebooks() == []
    await runtime.stop()
