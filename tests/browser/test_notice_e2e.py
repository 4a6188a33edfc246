"""The student's notice end to end: an opt-in course sends nothing before consent, on the wire
and in the database; the status bar says so, the panel lists what is sent at the course's level
and shows the last event sent once the student agreed.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, LabServer
from tests.browser.test_capture_e2e import (
    open_notebook,
    record_posted_events,
    run_cell,
    wait_for_executions,
    write_notebook,
)
from tests.chromium import new_context

pytestmark = pytest.mark.browser


@pytest.fixture
def opt_in_server(tmp_path, built_labextension) -> Iterator[LabServer]:
    """JupyterLab whose (only) course asks for consent and captures code but no results."""
    server = LabServer(
        tmp_path, extra_args=("--Privacy.consent=opt-in", "--Privacy.capture_level=code")
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "notice-e2e-jupyter.log").write_bytes(server.log_path.read_bytes())


def stored_rows(server: LabServer) -> int:
    with sqlite3.connect(server.database) as db:
        executions = db.execute("SELECT count(*) FROM cell_executions").fetchone()[0]
        events = db.execute("SELECT count(*) FROM notebook_events").fetchone()[0]
    return executions + events


def test_an_opt_in_course_sends_nothing_before_consent(opt_in_server, chromium):
    server = opt_in_server
    write_notebook(server)
    context = new_context(chromium)
    page = context.new_page()
    posted = record_posted_events(page)
    try:
        open_notebook(page, server)
        status = page.get_by_test_id("pt-capture-status")
        expect(status).to_contain_text("asks your consent")
        # The notice opened by itself, listing the fields of the level (code, no results).
        fields = page.get_by_test_id("pt-sent-fields")
        expect(fields).to_contain_text("code")
        expect(fields).not_to_contain_text("result")
        page.locator(".jp-NotebookPanel").first.click()
        run_cell(page, 0, 1)
        run_cell(page, 1, 2)
        before_consent = datetime.now(UTC)

        page.get_by_role("tab", name="Progress tracking").click()
        page.get_by_test_id("pt-consent-choice").click()
        expect(status).to_contain_text("Progress capture: on")
        page.get_by_role("tab", name="lab1.ipynb").click()
        run_cell(page, 3, 3)
        [execution] = wait_for_executions(page, server, 1, "the run after consent to be stored")

        assert execution["cellId"] == "cell-print" and execution["code"] == "print('hello, world')"
        assert execution["result"] is None  # above the course's level
        sent_times = [datetime.fromisoformat(e["eventTime"]) for e in posted]
        assert sent_times and min(sent_times) >= before_consent, posted
        assert all("result" not in event for event in posted)
        assert stored_rows(server) == len({e["eventId"] for e in posted})

        page.get_by_role("tab", name="Progress tracking").click()
        expect(page.get_by_test_id("pt-last-event")).to_contain_text(
            re.compile(r'"eventType": "cell_(executed|started)"')
        )
    finally:
        page.screenshot(path=str(ARTIFACTS / "notice-e2e.png"))
        context.close()
