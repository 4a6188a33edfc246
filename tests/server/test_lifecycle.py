"""A server's life: migrations on an empty database, restarts that keep data, clean shutdowns."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import inspect

from progress_tracker.store.dialect import create_engine
from progress_tracker.store.schema import current_revision, head_revision, upgrade_to_head
from tests.conftest import make_event


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JupyterServer:
    """A real `jupyter server` process with the extension, as an operator would run it."""

    def __init__(self, root: Path, database_url: str):
        self.root, self.database_url = root, database_url
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.process: subprocess.Popen[bytes] | None = None
        self.log = root / "server.log"

    def start(self) -> None:
        env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(self.root / "config"),
            "JUPYTER_DATA_DIR": str(self.root / "data"),
            "JUPYTER_RUNTIME_DIR": str(self.root / "runtime"),
        }
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "jupyter_server",
                    "--allow-root",
                    "--no-browser",
                    f"--ServerApp.port={self.port}",
                    "--ServerApp.ip=127.0.0.1",
                    f"--IdentityProvider.token={self.token}",
                    f"--ServerApp.root_dir={self.root}",
                    "--ServerApp.jpserver_extensions=progress_tracker=True",
                    f"--ProgressTracker.database_url={self.database_url}",
                    "--ProgressTracker.owner_name=teacher",
                ],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.call("GET", "me")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise AssertionError(f"server did not start:\n{self.log.read_text()}")

    def call(self, method: str, path: str, body: object = None) -> tuple[int, object]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/v1/{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


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
