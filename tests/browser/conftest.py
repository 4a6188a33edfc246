"""Fixtures for browser tests: a real `jupyter lab` with the extension, and Debian's Chromium
driven by Playwright.

The server runs as a subprocess with private Jupyter directories, the built labextension made
visible through `JUPYTER_PATH`, and the tracker on a private SQLite file. It can be stopped and
started again on the same port, token, cookie secret and database, as a server restart would.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.chromium import CHROMIUM, launch, new_context
from tests.conftest import require
from tests.waiting import SERVICE_DEADLINE_S, wait_until

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
BUILT_LABEXTENSION = REPO / "progress_tracker" / "labextension"
OWNER = "student-e2e"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LabServer:
    """A `jupyter lab` subprocess that can be stopped and started again with the same state."""

    def __init__(self, base: Path, *, extra_args: tuple[str, ...] = (), **tracker_options: Any):
        self.base = base
        self.root = base / "root"
        self.database = base / "pt.sqlite"
        self.log_path = base / "jupyter.log"
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.owner = OWNER
        self.tracker_options = {"owner_name": OWNER, **tracker_options}
        self.extra_args = list(extra_args)  # options of other sections, e.g. --Privacy.*
        self.process: subprocess.Popen[bytes] | None = None
        self._log: Any = None
        self.root.mkdir(parents=True)
        share = base / "share"
        (share / "labextensions").mkdir(parents=True)
        (share / "labextensions" / "progress-tracker").symlink_to(BUILT_LABEXTENSION)
        self.env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(base / "config"),
            "JUPYTER_PATH": str(share),
            "JUPYTER_DATA_DIR": str(base / "data"),
            "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
            "IPYTHONDIR": str(base / "ipython"),
            "JUPYTER_PLATFORM_DIRS": "1",
        }

    @property
    def url(self) -> str:
        """The server's root URL."""
        return f"http://127.0.0.1:{self.port}/"

    def command(self) -> list[str]:
        """The command line that runs the server."""
        bin_dir = Path(sys.executable).parent
        options = [
            f"--ProgressTracker.{name}={value}" for name, value in self.tracker_options.items()
        ]
        return [
            str(bin_dir / "jupyter"),
            "lab",
            "--allow-root",
            "--no-browser",
            f"--ServerApp.token={self.token}",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.root_dir={self.root}",
            "--ServerApp.jpserver_extensions={'progress_tracker': True}",
            f"--ProgressTracker.database_url=sqlite+aiosqlite:///{self.database}",
            f"--LabApp.workspaces_dir={self.base / 'workspaces'}",
            f"--LabApp.user_settings_dir={self.base / 'settings'}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            *options,
            *self.extra_args,
        ]

    def start(self, timeout: float = SERVICE_DEADLINE_S) -> None:
        """Start the server and wait until it answers."""
        assert self.process is None, "already running"
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command(), env=self.env, stdout=self._log, stderr=subprocess.STDOUT, cwd=self.base
        )
        try:
            wait_until(self._answers, "jupyter lab to answer", timeout)
        except AssertionError as failure:
            self.stop()
            raise AssertionError(f"{failure}:\n{self.log_path.read_text()}") from None

    def _answers(self) -> bool:
        """Whether the server answers its status; fails when the process is gone."""
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError("jupyter lab exited")
        try:
            status, _ = self.request("api/status")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False
        return status == 200

    def stop(self) -> None:
        """Stop the server (SIGTERM, as a service manager does) and wait for it to exit."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=SERVICE_DEADLINE_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None
        self._log.close()
        self._log = None

    def request(self, path: str, params: dict[str, str] | None = None) -> tuple[int, Any]:
        """GET a server path with the token; returns (status, decoded JSON or text)."""
        url = self.url + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        request = urllib.request.Request(url, headers={"Authorization": f"token {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
        try:
            return status, json.loads(body)
        except ValueError:
            return status, body.decode(errors="replace")

    def executions(self, notebook: str) -> list[dict[str, Any]]:
        """The stored `cell_executed` events of a notebook, oldest first (instructor API)."""
        status, body = self.request("api/v1/executions", {"notebook": notebook})
        assert status == 200, body
        return list(body["executions"])

    def lab_url(self, path: str) -> str:
        """The JupyterLab URL that opens `path`, logging in with the token."""
        return f"{self.url}lab/tree/{urllib.parse.quote(path)}?token={self.token}"


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium (never a browser downloaded by Playwright)."""
    require(CHROMIUM.exists(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def built_labextension() -> Path:
    """The labextension built by `jlpm build:prod` in labextension/."""
    require(
        (BUILT_LABEXTENSION / "package.json").exists(),
        "the labextension is not built: run `jlpm install && jlpm build:prod` in labextension/",
    )
    return BUILT_LABEXTENSION


@pytest.fixture
def lab_server(tmp_path, built_labextension) -> Iterator[LabServer]:
    """A running `jupyter lab` with the extension, stopped at the end of the test."""
    server = LabServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "capture-e2e-jupyter.log").write_bytes(server.log_path.read_bytes())


@pytest.fixture
def chromium(chromium_path) -> Iterator[Any]:
    """Chromium launched through Playwright.

    Function-scoped: Playwright's sync API runs its own event loop, which must be closed again
    before pytest-jupyter's per-test loop fixture tears down.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python is not installed (pip install playwright)")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_context(chromium) -> Iterator[Any]:
    """A fresh browser profile (own cookies and localStorage) per test."""
    context = new_context(chromium, viewport={"width": 1400, "height": 900})
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def screenshot() -> Any:
    """`screenshot(page, name)` saves a PNG in test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page: Any, name: str) -> Path:
        path = ARTIFACTS / f"capture-{name}.png"
        page.screenshot(path=str(path))
        return path

    return save
