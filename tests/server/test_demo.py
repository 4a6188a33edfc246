"""The simulated class that fills a newcomer's dashboard, on a real notebook they can join."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

from progress_tracker.app import ProgressTracker
from progress_tracker.demo import (
    CELLS,
    DEMO_NOTEBOOK,
    STUDENTS,
    DemoClass,
    demo_database_url,
    demo_folder,
    prepare_demo_folder,
)
from tests.conftest import require
from tests.jupyter_process import free_port

DEADLINE_S = 120


@pytest.fixture
def jp_root_dir(jp_data_dir) -> Path:
    """The server's root is the demo folder, as `python -m progress_tracker.demo` sets it."""
    return prepare_demo_folder(demo_folder(jp_data_dir))


@pytest.fixture
def database_url(request, jp_data_dir, jp_environ) -> str:
    """The demo's own database, as the launcher configures it; or, for a test that asks for
    "default", what the server would use without being told."""
    if getattr(request, "param", "demo") == "default":
        return ProgressTracker().database_url
    return demo_database_url(demo_folder(jp_data_dir))


@pytest.fixture
def tracker_config():
    return {"demo_class": True}


async def start(jp_serverapp) -> ProgressTracker:
    """Start the extension as `jupyter lab` does (the demo class begins running). In the test's
    own body: pytest-jupyter's server runs on the test's event loop."""
    app = next(iter(jp_serverapp.extension_manager.extension_apps["progress_tracker"]))
    await app._start_jupyter_server_extension(jp_serverapp)
    return app


async def full_class(jp_fetch) -> dict:
    """The dashboard snapshot once every simulated student is in it."""
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        snapshot = json.loads((await jp_fetch("api", "v1", "progress")).body)
        if len(snapshot["students"]) == len(STUDENTS):
            return snapshot
        await asyncio.sleep(0.2)
    raise AssertionError(f"the class never filled the dashboard: {snapshot}")


def cells_passed(cells: dict) -> int:
    """Where a student carries on: the first cell, in notebook order, never run successfully."""
    passed = 0
    for cell in CELLS:
        state = cells.get(cell.cell_id)
        if state is None or state["attempts"] <= state["errors"]:
            break
        passed += 1
    return passed


async def test_the_demo_class_fills_the_dashboard_and_keeps_working(jp_fetch, jp_serverapp):
    await start(jp_serverapp)
    snapshot = await full_class(jp_fetch)
    assert snapshot["notebook"] == DEMO_NOTEBOOK
    assert {s["userId"] for s in snapshot["students"]} == set(STUDENTS)
    assert any(c["status"] == "failed" for s in snapshot["students"] for c in s["cells"].values())
    errors = json.loads(
        (await jp_fetch("api", "v1", "errors", params={"notebook": DEMO_NOTEBOOK})).body
    )
    assert any(e["students"] > 1 for cell in errors["cells"] for e in cell["errors"])


async def test_the_notebook_is_on_disk_with_the_cells_the_class_runs(
    jp_fetch, jp_serverapp, jp_root_dir
):
    await start(jp_serverapp)
    snapshot = await full_class(jp_fetch)
    on_disk = nbformat.read(jp_root_dir / DEMO_NOTEBOOK, as_version=4)
    nbformat.validate(on_disk)
    code = [(c.id, c.source) for c in on_disk.cells if c.cell_type == "code"]
    assert code == [(cell.cell_id, cell.code) for cell in CELLS]
    assert {c["cellId"] for c in snapshot["cells"]} <= {cell.cell_id for cell in CELLS}
    indexes = {c["cellId"]: c["cellIndex"] for c in snapshot["cells"]}
    assert all(on_disk.cells[index].id == cell_id for cell_id, index in indexes.items())
    opened = json.loads((await jp_fetch("api", "contents", DEMO_NOTEBOOK)).body)
    assert opened["type"] == "notebook"  # the newcomer opens the very file in JupyterLab


def test_the_notebook_runs_top_to_bottom_on_its_data(jp_root_dir, monkeypatch):
    require(importlib.util.find_spec("pandas") is not None, "pandas (the demo extra) is missing")
    monkeypatch.chdir(jp_root_dir)
    namespace: dict = {}
    for cell in nbformat.read(jp_root_dir / DEMO_NOTEBOOK, as_version=4).cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, cell.id, "exec"), namespace)  # noqa: S102
    assert namespace["total"] > 0


@pytest.mark.parametrize("database_url", ["default"], indirect=True)
async def test_the_demo_never_writes_into_the_default_database(
    jp_fetch, jp_serverapp, database_url
):
    runtime = (await start(jp_serverapp)).runtime
    # A demo class that would write runs forever; one that refuses returns at once.
    await asyncio.wait_for(DemoClass(runtime).run(), timeout=DEADLINE_S)
    snapshot = json.loads((await jp_fetch("api", "v1", "progress")).body)
    assert snapshot["notebooks"] == [] and snapshot["students"] == []
    assert database_url != demo_database_url(demo_folder())


async def test_the_simulated_class_carries_on_where_it_was_after_a_restart(jp_fetch, jp_serverapp):
    app = await start(jp_serverapp)
    before = await full_class(jp_fetch)
    position = {s["userId"]: cells_passed(s["cells"]) for s in before["students"]}
    assert any(place > 0 for place in position.values())

    await app.stop_extension()
    restarted_at = datetime.now(UTC)
    await app._start_jupyter_server_extension(jp_serverapp)

    later: list[dict] = []
    deadline = time.monotonic() + DEADLINE_S
    while len(later) < 4:
        assert time.monotonic() < deadline, f"the class did not carry on: {later}"
        await asyncio.sleep(0.5)
        params = {"notebook": DEMO_NOTEBOOK, "since": restarted_at.isoformat()}
        later = json.loads((await jp_fetch("api", "v1", "executions", params=params)).body)[
            "executions"
        ]
    for run in later:  # each student runs the first cell they had not passed, and moves on
        place = position[run["userId"]]
        if place < len(CELLS):
            assert run["cellId"] == CELLS[place].cell_id, (run, position)
            position[run["userId"]] += 0 if run["hasError"] else 1


class DemoLauncher:
    """`python -m progress_tracker.demo` as `make run` starts it, in its own Jupyter folders."""

    def __init__(self, home: Path):
        self.home = home
        self.port, self.token = free_port(), ""
        self.env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "JUPYTER_DATA_DIR": str(home / "data"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        }
        self.output = home / "run.log"

    def start(self, *args: str) -> None:
        root_flag = ["--allow-root"] if os.geteuid() == 0 else []
        with self.output.open("wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "progress_tracker.demo", *args, *root_flag]
                + ["--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}"],
                env=self.env,
                cwd=self.home,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def url(self) -> str:
        """The URL the launcher prints for the newcomer to open (with the server's token)."""
        pattern = rf"http://127\.0\.0\.1:{self.port}/lab/tree/{DEMO_NOTEBOOK}\?token=(\w+)"
        found = re.search(pattern, self.output.read_text())
        if found:
            self.token = found.group(1)
        return found.group(0) if found else ""

    def get(self, path: str) -> dict:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/{path}",
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def wait_for(self, check) -> None:
        deadline = time.monotonic() + DEADLINE_S
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output.read_text()
            try:
                if check():
                    return
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.2)
        raise AssertionError(self.output.read_text())

    def stop(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        return self.output.read_text()


def test_the_launcher_starts_quietly_on_the_demo_folder_and_its_own_database(tmp_path):
    launcher = DemoLauncher(tmp_path)
    folder = demo_folder(tmp_path / "data")
    launcher.start()
    try:
        launcher.wait_for(launcher.url)
        launcher.wait_for(lambda: len(launcher.get("api/v1/progress")["students"]) == len(STUDENTS))
        listed = {item["name"] for item in launcher.get("api/contents")["content"]}
        assert listed == {DEMO_NOTEBOOK, "sales.csv"}  # the server's root is the demo folder
        assert (folder / ".demo.sqlite").exists()  # its own database, not listed beside them
        assert not (tmp_path / "data" / "progress_tracker" / "progress.sqlite").exists()
        launcher.wait_for(lambda: "simulated students" in launcher.output.read_text())
    finally:
        output = launcher.stop()
    lines = [line for line in output.splitlines() if line.strip()]
    first_url = next(i for i, line in enumerate(lines) if launcher.url() in line)
    assert re.match(r"\[C .* ServerApp\]", lines[0]), output  # the URL's banner comes first
    assert first_url < next(i for i, line in enumerate(lines) if "simulated students" in line)
    assert len(lines) < 20, output  # no wall of log lines

    (folder / "scratch.txt").write_text("the newcomer's leftovers")
    launcher.start("--reset")
    try:
        launcher.wait_for(launcher.url)
        launcher.wait_for(lambda: launcher.get("api/status"))
        assert not (folder / "scratch.txt").exists()
        assert (folder / DEMO_NOTEBOOK).exists()
    finally:
        launcher.stop()
