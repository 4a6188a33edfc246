"""The instructor dashboard end to end: a real `jupyter lab` with the extension, a simulated class,
Debian's Chromium driven by Playwright.

The class is simulated through the real API: the server runs with an identity provider that
authenticates tokens `student:<name>` as JupyterHub-like students (everything else is the server's
owner, the instructor), so every event goes through ingestion, storage and the live channel exactly
as a student's browser would send it. A second server, whose owner is presented as a hub student,
checks what a student gets: no dashboard command, 403 from the instructor APIs.

Chromium and the built labextension come from the fixtures of conftest.py (`chromium`,
`built_labextension`); under CI=true a missing one fails the run. Every wait is on something the
page shows, with the generous deadlines of tests/chromium.py; how fast the live view is gets
written to test-artifacts/ as figures, never asserted.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from jupyter_server.auth.identity import IdentityProvider, User
from playwright.sync_api import expect

from tests.chromium import new_context
from tests.waiting import wait_until

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
NOTEBOOK = "course/lab1.ipynb"
CELLS = [f"cell-{i}" for i in range(6)]
HOSTILE_ERROR = "<img src=x onerror=alert(1)>"
HOSTILE_CODE = "<script>alert(2)</script>\nprint('<b>bold</b>')"
COMMAND = "progress-tracker:open-dashboard"
ME_URL = re.compile(r".*/api/v1/me(\?.*)?$")


# --- identities --------------------------------------------------------------------------------


@dataclass
class HubStyleUser(User):
    """A user carrying a `hub_user` model, as JupyterHub's identity provider returns."""

    hub_user: dict[str, Any] = field(default_factory=dict)


def _student(name: str) -> HubStyleUser:
    return HubStyleUser(username=name, hub_user={"name": name, "groups": ["students"]})


class ClassroomIdentityProvider(IdentityProvider):
    """The owner logs in as usual (token or cookie); `Authorization: token student:<name>` is
    the hub student <name>, so a test can send events as any number of students."""

    async def get_user(self, handler: Any) -> User | None:
        header = handler.request.headers.get("Authorization", "")
        token = header.removeprefix("token ").strip()
        if token.startswith("student:") and len(token) > len("student:"):
            handler._token_authenticated = True  # token requests need no XSRF token
            return _student(token.removeprefix("student:"))
        return await super().get_user(handler)


class StudentOwnerIdentityProvider(IdentityProvider):
    """A student's own server under a hub: whoever logs in is the hub student `student1`."""

    async def get_user(self, handler: Any) -> User | None:
        user = await super().get_user(handler)
        return None if user is None else _student("student1")


# --- the server --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LabServer:
    """A running `jupyter lab`."""

    url: str
    token: str
    process: subprocess.Popen
    log: Path

    def api(self, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        """Call the server's API; returns (status, decoded body)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={
                "Authorization": f"token {token or self.token}",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read().decode()
                status = response.status
        except urllib.error.HTTPError as error:
            raw = error.read().decode()
            status = error.code
            error.close()
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw

    def post_events(self, student: str, events: list[dict[str, Any]]) -> None:
        """Send events as a student, the way the capture plugin does."""
        status, body = self.api("POST", "api/v1/events", events, token=f"student:{student}")
        assert status == 202, body


def _start_lab(tmp: Path, extension: Path, identity_provider: str) -> Iterator[LabServer]:
    """Run `jupyter lab` with the extension on a private database and private Jupyter dirs."""
    share = tmp / "share"
    (share / "labextensions").mkdir(parents=True)
    (share / "labextensions" / "progress-tracker").symlink_to(extension)
    config = tmp / "config"
    config.mkdir()
    (config / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"progress_tracker": True}}})
    )
    news = tmp / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    root = tmp / "root"
    (root / "course").mkdir(parents=True)
    port = _free_port()
    token = secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_PATH": str(share),
        "JUPYTER_DATA_DIR": str(tmp / "data"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "PYTHONPATH": os.pathsep.join(
            [str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]
        ),
    }
    log = tmp / "jupyter-lab.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--allow-root",
                f"--port={port}",
                "--ServerApp.port_retries=0",
                "--ServerApp.ip=127.0.0.1",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.identity_provider_class={identity_provider}",
                f"--ServerApp.root_dir={root}",
                f"--LabApp.user_settings_dir={tmp / 'settings'}",
                f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
                "--LabApp.expose_app_in_browser=True",
                "--ProgressTracker.owner_name=teacher",
                f"--ProgressTracker.database_url=sqlite+aiosqlite:///{tmp}/pt.sqlite",
            ],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    server = LabServer(url=f"http://127.0.0.1:{port}/", token=token, process=process, log=log)

    def answers() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"jupyter lab exited:\n{log.read_text()}")
        try:
            status, _ = server.api("GET", "api/v1/me")
        except OSError:
            return False
        return status == 200

    try:
        wait_until(answers, f"jupyter lab to answer (its log: {log})")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def classroom(tmp_path, built_labextension) -> Iterator[LabServer]:
    """A lab server whose owner is the instructor, and where tests may act as any student."""
    yield from _start_lab(
        tmp_path, built_labextension, "test_dashboard_e2e.ClassroomIdentityProvider"
    )


@pytest.fixture
def student_lab(tmp_path, built_labextension) -> Iterator[LabServer]:
    """A lab server whose owner is a hub student, not an instructor."""
    yield from _start_lab(
        tmp_path, built_labextension, "test_dashboard_e2e.StudentOwnerIdentityProvider"
    )


# --- the simulated class -----------------------------------------------------------------------


def _run(
    cell: int,
    at: datetime,
    *,
    error: str | None = None,
    code: str | None = None,
    notebook: str = NOTEBOOK,
) -> dict[str, Any]:
    return {
        "eventId": f"e2e-{uuid.uuid4().hex}",
        "eventType": "cell_executed",
        "eventTime": at.isoformat(),
        "notebookPath": notebook,
        "cellId": CELLS[cell],
        "cellIndex": cell,
        "cellType": "code",
        "code": code if code is not None else f"step_{cell}()",
        "executionCount": cell + 1,
        "hasError": error is not None,
        "errorMessage": error,
        "executionDurationMs": 15,
    }


def _start(cell: int, at: datetime) -> dict[str, Any]:
    return {
        "eventId": f"e2e-{uuid.uuid4().hex}",
        "eventType": "cell_started",
        "eventTime": at.isoformat(),
        "notebookPath": NOTEBOOK,
        "cellId": CELLS[cell],
        "cellIndex": cell,
        "cellType": "code",
        "code": f"step_{cell}()",
    }


def seed_class(server: LabServer, now: datetime) -> None:
    """Twelve students in lab1: some progressing (one running a cell), two stuck on errors, one
    idle, one hostile."""
    minute = timedelta(minutes=1)
    key_error = "KeyError: 'price'"

    def progressing(name: str, cells: int, start: int) -> None:
        server.post_events(name, [_run(i, now - (start - i) * minute) for i in range(cells)])

    progressing("ada", 6, 8)
    progressing("gus", 5, 6)
    progressing("hana", 4, 5)
    progressing("ivo", 3, 4)
    progressing("june", 2, 3)
    # gus is running his next cell right now.
    server.post_events("gus", [_start(5, now - timedelta(seconds=20))])
    # ben: stuck on cell 3 with four KeyErrors in a row.
    server.post_events(
        "ben",
        [_run(i, now - (9 - i) * minute) for i in range(3)]
        + [_run(3, now - (4 - i) * minute, error=key_error) for i in range(4)],
    )
    # dev and finn hit the same KeyError but fixed it.
    for name in ("dev", "finn"):
        server.post_events(
            name,
            [_run(i, now - (9 - i) * minute) for i in range(3)]
            + [
                _run(3, now - 4 * minute, error=key_error),
                _run(3, now - 3 * minute),
            ],
        )
    # cleo: started, then nothing for 25 minutes.
    server.post_events("cleo", [_run(0, now - 26 * minute), _run(1, now - 25 * minute)])
    # eve: three failures whose message and code are markup.
    server.post_events(
        "eve",
        [_run(0, now - 6 * minute)]
        + [
            _run(1, now - (3 - i) * minute, error=HOSTILE_ERROR, code=HOSTILE_CODE)
            for i in range(3)
        ],
    )
    # kai: one error, below the threshold.
    server.post_events(
        "kai", [_run(0, now - 2 * minute, error="NameError: name 'df' is not defined")]
    )
    # lena only worked on another notebook, earlier.
    server.post_events("lena", [_run(0, now - 40 * minute, notebook="course/lab2.ipynb")])


# --- helpers for the page ----------------------------------------------------------------------


# Tracks the dashboard's live sockets, so that a test can drop them and keep them from
# reconnecting for a while (`__ptBlockLive` sends new ones to a closed port).
TRACK_LIVE_SOCKETS = """
(() => {
  const Native = window.WebSocket;
  window.__ptSockets = [];
  window.__ptUrls = [];
  window.__ptBlockLive = false;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      const live = String(url).includes('/api/v1/ws');
      super(live && window.__ptBlockLive ? 'ws://127.0.0.1:9/' : url, protocols);
      if (live) {
        window.__ptSockets.push(this);
        window.__ptUrls.push(String(url));
      }
    }
  };
})();
"""


def _open_lab(context: Any, server: LabServer) -> Any:
    """Open JupyterLab; return once the launcher shows and the dashboard plugin has the server's
    answer to who the user is (it offers its command only to instructors, once it knows)."""
    context.add_init_script(TRACK_LIVE_SOCKETS)
    page = context.new_page()
    with page.expect_response(ME_URL) as role:
        page.goto(f"{server.url}lab?token={server.token}")
    role.value.finished()
    page.wait_for_selector(".jp-LauncherCard")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands")
    return page


def _after_the_role_answer(page: Any, token: str) -> None:
    """Return once the page has handled the dashboard plugin's answer from `api/v1/me`.

    That answer has arrived (`_open_lab`); a request of the page's own, sent after it, is
    answered after it, so once it resolves the plugin has had its answer too.
    """
    page.evaluate(
        "(token) => fetch('api/v1/me', {headers: {Authorization: 'token ' + token}})"
        ".then(response => response.json())",
        token,
    )


def _wait_for_dashboard_command(page: Any) -> None:
    """Wait until the dashboard is offered (once the server has said the user is an instructor)."""
    page.wait_for_function(f"() => window.jupyterapp.commands.hasCommand('{COMMAND}')")


def _help_users(page: Any) -> list[str]:
    return page.eval_on_selector_all(".pt-help-item", "items => items.map(i => i.dataset.user)")


def _cell_status(page: Any, user: str, cell: int) -> str | None:
    return page.evaluate(
        """([user, cell]) => {
            const row = document.querySelector(`.pt-grid-row[data-user="${CSS.escape(user)}"]`);
            return row ? row.children[cell + 1].dataset.status : null;
        }""",
        [user, cell],
    )


def _wait_cell_status(page: Any, user: str, cell: int, status: str) -> None:
    page.wait_for_function(
        """([user, cell, status]) => {
            const row = document.querySelector(`.pt-grid-row[data-user="${CSS.escape(user)}"]`);
            return !!row && row.style.display !== 'none' &&
                row.children[cell + 1].dataset.status === status;
        }""",
        arg=[user, cell, status],
    )


# --- the tests ---------------------------------------------------------------------------------


def test_dashboard_shows_the_class_live(classroom: LabServer, chromium: Any) -> None:
    """An instructor opens the dashboard from the launcher and sees the class, live."""
    ARTIFACTS.mkdir(exist_ok=True)
    now = datetime.now(UTC)
    seed_class(classroom, now)

    context = new_context(chromium, viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    dialogs: list[str] = []
    page = _open_lab(context, classroom)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        _wait_for_dashboard_command(page)
        # Offered in the command palette and in the launcher.
        page.keyboard.press("Control+Shift+C")
        expect(page.locator(".lm-CommandPalette-input")).to_be_focused()
        page.keyboard.type("Progress dashboard")
        page.wait_for_selector(".lm-CommandPalette-item:has-text('Progress dashboard')")
        page.keyboard.press("Escape")
        page.locator(".jp-LauncherCard", has_text="Progress dashboard").click()
        page.wait_for_selector(".pt-dashboard .pt-grid-row[data-user='ada']")

        # The notebook selector lists both notebooks, the most recently active selected.
        options = page.eval_on_selector_all(
            ".pt-notebook-select option", "os => os.map(o => o.value)"
        )
        assert set(options) == {NOTEBOOK, "course/lab2.ipynb"}
        assert page.input_value(".pt-notebook-select") == NOTEBOOK

        # The grid: every student of lab1 (not lena, who only worked on lab2) and their cells.
        rows = page.eval_on_selector_all(".pt-grid-row", "rs => rs.map(r => r.dataset.user)")
        expected = {"ada", "ben", "cleo", "dev", "eve", "finn", "gus", "hana", "ivo", "june", "kai"}
        assert set(rows) == expected
        assert _cell_status(page, "ada", 5) == "succeeded"
        assert _cell_status(page, "ben", 3) == "failed"
        assert _cell_status(page, "dev", 3) == "succeeded"
        assert _cell_status(page, "june", 4) == "not-run"
        assert _cell_status(page, "gus", 5) == "running"

        # Needing help: the most errors first, then idle.
        page.wait_for_selector(".pt-help-item[data-user='cleo']")
        assert _help_users(page) == ["ben", "eve", "cleo"]
        ben = page.locator(".pt-help-item[data-user='ben']")
        assert "4 errors on [4]" in ben.inner_text()
        assert "KeyError: 'price'" in ben.inner_text()
        assert "idle 2" in page.locator(".pt-help-item[data-user='cleo']").inner_text()

        # Attempts and last error on hover.
        page.hover(".pt-grid-row[data-user='ben'] .pt-grid-cell >> nth=3")
        tooltip = page.locator(".pt-tooltip")
        expect(tooltip).to_contain_text("4 attempts")
        expect(tooltip).to_contain_text("last error: KeyError: 'price'")
        page.hover(".pt-grid-row[data-user='gus'] .pt-grid-cell >> nth=5")
        expect(tooltip).to_contain_text("running · first run")

        # Errors grouped per cell, with how many students hit each.
        page.wait_for_selector(".pt-errors-cell")
        errors_text = page.locator(".pt-errors").inner_text()
        assert "KeyError: 'price' — 3 students" in errors_text
        assert f"{HOSTILE_ERROR} — 1 student" in errors_text

        # The pace chart is drawn.
        page.wait_for_function(
            "() => { const c = document.querySelector('.pt-pace canvas');"
            " return c && c.width > 0 && c.height > 0; }"
        )

        # The threshold is configurable in the tab: at 1 error, kai is listed too.
        page.fill(".pt-help-errors", "1")
        page.dispatch_event(".pt-help-errors", "change")
        page.wait_for_selector(".pt-help-item[data-user='kai']")
        page.fill(".pt-help-errors", "3")
        page.dispatch_event(".pt-help-errors", "change")
        page.wait_for_selector(".pt-help-item[data-user='kai']", state="detached")

        # Hostile text stays text: visible literally, no element, no dialog.
        assert HOSTILE_ERROR in page.locator(".pt-help-item[data-user='eve']").inner_text()
        page.locator(".pt-help-item[data-user='eve'] .pt-help-user").click()
        timeline = page.locator(".pt-timeline")
        expect(timeline).to_contain_text("Timeline of eve")
        expect(timeline).to_contain_text("<script>alert(2)</script>")
        expect(timeline).to_contain_text(HOSTILE_ERROR)
        assert page.locator(".pt-dashboard img, .pt-dashboard script, .pt-dashboard b").count() == 0
        page.screenshot(path=str(ARTIFACTS / "dashboard-timeline.png"))

        # A new run shows up in the grid live: a new student, then an update (how long it took
        # is a figure in test-artifacts/).
        wait_for_socket_live(page)
        started = time.monotonic()
        classroom.post_events("zoe", [_run(0, datetime.now(UTC))])
        _wait_cell_status(page, "zoe", 0, "succeeded")
        first_latency = time.monotonic() - started
        started = time.monotonic()
        classroom.post_events("june", [_run(2, datetime.now(UTC), error="ValueError: bad")])
        _wait_cell_status(page, "june", 2, "failed")
        second_latency = time.monotonic() - started
        assert (
            page.get_attribute(
                ".pt-grid-row[data-user='june'] .pt-grid-cell >> nth=2", "data-flash"
            )
            == "true"
        )
        (ARTIFACTS / "dashboard-latency.txt").write_text(
            f"new student: {first_latency:.3f} s\nlive update: {second_latency:.3f} s\n"
        )

        # A started run shows as running; its result then replaces it.
        classroom.post_events("june", [_start(3, datetime.now(UTC))])
        _wait_cell_status(page, "june", 3, "running")
        classroom.post_events("june", [_run(3, datetime.now(UTC))])
        _wait_cell_status(page, "june", 3, "succeeded")

        # After a drop, the dashboard reconnects and catches up on what it missed.
        page.evaluate(
            "() => { window.__ptBlockLive = true; window.__ptSockets.forEach(s => s.close()); }"
        )
        status = page.locator(".pt-status")
        expect(status).to_have_attribute("data-status", "reconnecting")
        classroom.post_events("ivo", [_run(3, datetime.now(UTC), error="IndexError: oops")])
        # Stored while the dashboard had no connection: it has not seen it.
        expect(status).to_have_attribute("data-status", "reconnecting")
        assert _cell_status(page, "ivo", 3) == "not-run"
        page.evaluate("() => { window.__ptBlockLive = false; }")
        _wait_cell_status(page, "ivo", 3, "failed")
        wait_for_socket_live(page)
        urls = page.evaluate("() => window.__ptUrls")
        assert "after=" in urls[-1], urls  # resumed from its last live message

        # A duplicate delivery (the same eventId sent twice) is counted once.
        duplicate = _run(4, datetime.now(UTC))
        classroom.post_events("ivo", [duplicate])
        classroom.post_events("ivo", [duplicate])
        _wait_cell_status(page, "ivo", 4, "succeeded")
        page.hover(".pt-grid-row[data-user='ivo'] .pt-grid-cell >> nth=4")
        expect(page.locator(".pt-tooltip")).to_contain_text("1 attempt")
        page.mouse.move(0, 0)

        # Export: pseudonymised by default, real names when asked.
        with page.expect_download() as download_info:
            page.click(".pt-export")
        pseudonymised = Path(download_info.value.path()).read_text()
        rows_csv = list(csv.DictReader(io.StringIO(pseudonymised)))
        assert rows_csv and all(r["notebookPath"] == NOTEBOOK for r in rows_csv)
        assert not {r["userId"] for r in rows_csv} & (expected | {"zoe"})
        page.uncheck(".pt-export-pseudonymise")
        with page.expect_download() as download_info:
            page.click(".pt-export")
        named = list(csv.DictReader(io.StringIO(Path(download_info.value.path()).read_text())))
        assert {r["userId"] for r in named} == expected | {"zoe"}
        assert download_info.value.suggested_filename == "progress-lab1.csv"
        page.check(".pt-export-pseudonymise")

        # Switching notebooks shows that notebook's class.
        page.select_option(".pt-notebook-select", "course/lab2.ipynb")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.pt-grid-row')]"
            ".filter(r => r.style.display !== 'none').map(r => r.dataset.user).join() === 'lena'"
        )
        page.select_option(".pt-notebook-select", NOTEBOOK)
        page.wait_for_selector(".pt-grid-row[data-user='ada']")
        assert not page.locator(".pt-timeline").is_visible()

        # Clicking a student in the grid shows their timeline.
        page.locator(".pt-grid-name[data-user='ben']").click()
        expect(page.locator(".pt-timeline")).to_contain_text("Timeline of ben")
        expect(page.locator(".pt-timeline-item")).to_have_count(7)
        expect(page.locator(".pt-timeline-item[data-error='true']")).to_have_count(4)

        assert dialogs == []
        # The picture once the "just ran" highlights have faded.
        expect(page.locator(".pt-grid-cell[data-flash='true']")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "dashboard.png"))

        # The tab comes back after a reload of JupyterLab.
        page.reload()
        page.wait_for_selector(".pt-dashboard .pt-grid-row[data-user='ada']")
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "dashboard-failure.png"))
        raise
    finally:
        context.close()


def wait_for_socket_live(page: Any) -> None:
    """Wait until the dashboard's live connection is up."""
    page.wait_for_selector(".pt-status[data-status='live']")


def test_many_students_render_only_the_rows_in_view(classroom: LabServer, chromium: Any) -> None:
    """500 students × 60 cells: only the rows in view are in the DOM, also after a burst of live
    runs (the page's long tasks during the burst are written to test-artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    now = datetime.now(UTC)
    cells = 60
    notebook = "course/big.ipynb"
    names = [f"student{n:03d}" for n in range(500)]

    def big_run(cell: int, at: datetime, error: str | None = None) -> dict[str, Any]:
        event = _run(0, at, error=error, notebook=notebook)
        event.update(cellId=f"big-{cell}", cellIndex=cell)
        return event

    for n, name in enumerate(names):
        ran = cells if n == 0 else n % cells + 1
        events = [big_run(i, now - timedelta(minutes=5)) for i in range(ran)]
        if n % 7 == 0:
            events[-1] = big_run(ran - 1, now - timedelta(minutes=4), error="AssertionError")
        for start in range(0, len(events), 50):
            classroom.post_events(name, events[start : start + 50])

    context = new_context(chromium, viewport={"width": 1500, "height": 1000})
    page = _open_lab(context, classroom)
    try:
        _wait_for_dashboard_command(page)
        page.evaluate(f"() => window.jupyterapp.commands.execute('{COMMAND}')")
        page.wait_for_selector(".pt-grid-row")
        assert page.input_value(".pt-notebook-select") == notebook
        summary = page.locator(".pt-class .pt-summary").inner_text()
        assert "500 students · 60 cells" in summary
        rows_in_dom = page.locator(".pt-grid-row").count()
        assert rows_in_dom < 80, rows_in_dom
        page.select_option(".pt-order-select", "name")
        wait_for_socket_live(page)

        # Watch the main thread while 200 students run a cell each, as fast as the server
        # takes them.
        page.evaluate(
            """() => {
                window.__ptLongTasks = [];
                new PerformanceObserver(list => {
                    for (const e of list.getEntries()) window.__ptLongTasks.push(e.duration);
                }).observe({ entryTypes: ['longtask'] });
            }"""
        )
        target = 250
        for n in range(100, 300):
            classroom.post_events(names[n], [big_run(59, datetime.now(UTC))])
        # Scroll to the last of them: its row is rendered with the new run.
        page.evaluate(
            """(index) => {
                const viewport = document.querySelector('.pt-grid-viewport');
                viewport.scrollTop = index * 22;
            }""",
            target,
        )
        _wait_cell_status(page, names[target], 59, "succeeded")
        rows_in_dom = page.locator(".pt-grid-row").count()
        assert rows_in_dom < 80, rows_in_dom
        long_tasks = page.evaluate("() => window.__ptLongTasks")
        (ARTIFACTS / "dashboard-500-long-tasks.txt").write_text(json.dumps(long_tasks))
        page.screenshot(path=str(ARTIFACTS / "dashboard-500-students.png"))
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "dashboard-500-failure.png"))
        print("live socket URLs:", page.evaluate("() => window.__ptUrls"))
        raise
    finally:
        context.close()


def test_a_student_gets_no_dashboard(student_lab: LabServer, chromium: Any) -> None:
    """A student's JupyterLab offers no dashboard, and the instructor APIs answer 403."""
    status, me = student_lab.api("GET", "api/v1/me")
    assert status == 200
    assert me["isInstructor"] is False

    context = new_context(chromium)
    page = _open_lab(context, student_lab)
    try:
        _after_the_role_answer(page, student_lab.token)
        assert not page.evaluate(f"() => window.jupyterapp.commands.hasCommand('{COMMAND}')")
        assert page.locator(".jp-LauncherCard", has_text="Progress dashboard").count() == 0
        statuses = page.evaluate(
            """async (token) => {
                const out = {};
                for (const path of ['progress', 'errors?notebook=x', 'pace?notebook=x',
                                    'executions?notebook=x', 'export.csv?notebook=x']) {
                    const r = await fetch('api/v1/' + path,
                                          {headers: {Authorization: 'token ' + token}});
                    out[path.split('?')[0]] = r.status;
                }
                return out;
            }""",
            student_lab.token,
        )
        assert statuses == {
            "progress": 403,
            "errors": 403,
            "pace": 403,
            "executions": 403,
            "export.csv": 403,
        }
        socket_result = page.evaluate(
            """(token) => new Promise(resolve => {
                const url = location.origin.replace(/^http/, 'ws') + '/api/v1/ws?token=' + token;
                const ws = new WebSocket(url);
                ws.onopen = () => { ws.close(); resolve('open'); };
                ws.onerror = () => resolve('refused');
            })""",
            student_lab.token,
        )
        assert socket_result == "refused"
    finally:
        context.close()


def test_a_cell_run_in_jupyterlab_reaches_the_dashboard(
    classroom: LabServer, chromium: Any, tmp_path: Path
) -> None:
    """A cell run in JupyterLab (captured by the extension) appears on an instructor's
    dashboard that was opened before the class had any activity."""
    ARTIFACTS.mkdir(exist_ok=True)
    notebook = {
        "cells": [
            {
                "id": "live-cell",
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": f"raise ValueError({HOSTILE_ERROR!r})",
            }
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (tmp_path / "root" / "course" / "live.ipynb").write_text(json.dumps(notebook))
    dialogs: list[str] = []

    instructor = new_context(chromium, viewport={"width": 1400, "height": 900})
    student = new_context(chromium, viewport={"width": 1400, "height": 900})
    try:
        dashboard = _open_lab(instructor, classroom)
        dashboard.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        _wait_for_dashboard_command(dashboard)
        dashboard.evaluate(f"() => window.jupyterapp.commands.execute('{COMMAND}')")
        dashboard.wait_for_selector(".pt-message:has-text('No activity yet')")
        wait_for_socket_live(dashboard)

        page = student.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{classroom.url}lab/tree/course/live.ipynb?token={classroom.token}")
        page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for()
        expect(page.locator("#jp-main-statusbar")).to_contain_text(re.compile(r"\|\s*Idle"))
        page.locator(".jp-NotebookPanel .jp-Cell .jp-InputArea-prompt").first.click()
        page.keyboard.press("Control+Enter")
        page.locator(".jp-NotebookPanel .jp-OutputArea-output").first.wait_for()

        # The capture plugin sends its batch within its flush interval; then it is live.
        _wait_cell_status(dashboard, "teacher", 0, "failed")
        assert dashboard.input_value(".pt-notebook-select") == "course/live.ipynb"
        dashboard.hover(".pt-grid-row[data-user='teacher'] .pt-grid-cell >> nth=0")
        expect(dashboard.locator(".pt-tooltip")).to_contain_text(
            f"last error: ValueError: {HOSTILE_ERROR}"
        )
        assert dashboard.locator(".pt-dashboard img").count() == 0
        dashboard.screenshot(path=str(ARTIFACTS / "dashboard-captured-run.png"))
        assert dialogs == []
    finally:
        student.close()
        instructor.close()
