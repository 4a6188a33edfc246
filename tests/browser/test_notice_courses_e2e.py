"""The notice of a student in two courses, end to end: cs101 asks for consent (opt-in), cs202
captures until the student stops it (opt-out). Their JupyterLab lists both courses, each with its
consent mode and what it collects; the notice opened by itself for cs101; nothing of cs101's
notebook is sent or stored before the student opts in there, and its runs are stored after;
stopping cs202 then pauses that course alone.
"""

from __future__ import annotations

import json
import re
import sqlite3
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, LabServer
from tests.browser.test_capture_e2e import CELLS, record_posted_events, run_cell
from tests.chromium import new_context
from tests.waiting import page_pause, wait_until

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
COURSES = {"cs101": {"consent": "opt-in", "capture_level": "code"}, "cs202": {"consent": "opt-out"}}
NOTEBOOK = "cs101-lab1.ipynb"
IDENTITIES = "tests.browser.course_identities.TwoCourseIdentityProvider"


@pytest.fixture
def two_course_server(tmp_path, built_labextension) -> Iterator[LabServer]:
    """JupyterLab whose user is a student of cs101 (opt-in) and cs202 (opt-out)."""
    server = LabServer(
        tmp_path,
        extra_args=(
            f"--ServerApp.identity_provider_class={IDENTITIES}",
            f"--Privacy.courses={COURSES!r}",
        ),
    )
    server.env["PYTHONPATH"] = str(REPO)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "notice-courses-e2e-jupyter.log").write_bytes(server.log_path.read_bytes())


def publish(server: LabServer, course: str) -> str:
    """Publish the lab in `course` as its instructor; the assignment id."""
    cells = [
        {"cellId": c["id"], "cellType": c["cell_type"], "label": c["id"], "source": c["source"]}
        for c in CELLS
    ]
    body = {"course": course, "title": "Lab 1", "path": NOTEBOOK, "cells": cells}
    request = urllib.request.Request(
        f"{server.url}api/v1/assignments",
        method="POST",
        data=json.dumps(body).encode(),
        headers={"Authorization": "token prof", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["assignmentId"]


def write_published_notebook(server: LabServer, assignment: str, course: str) -> None:
    """The student's copy of the published lab: it carries the assignment and its course."""
    cells = []
    for cell in CELLS:
        cells.append({"metadata": {}, **cell})
        if cell["cell_type"] == "code":
            cells[-1].update(outputs=[], execution_count=None)
    metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "progress_tracker": {"assignmentId": assignment, "course": course, "title": "Lab 1"},
    }
    notebook = {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    (server.root / NOTEBOOK).write_text(json.dumps(notebook, indent=1))


def stored_runs(server: LabServer, course: str) -> list[str]:
    """The cells of the stored executions of `course`, in the order they ran."""
    with sqlite3.connect(server.database) as db:
        rows = db.execute(
            "SELECT c.cell_id FROM cell_executions e JOIN cells c ON c.id = e.cell_pk "
            "WHERE e.course_id = ? ORDER BY e.event_time",
            (course,),
        ).fetchall()
    return [row[0] for row in rows]


def stored_times(server: LabServer, course: str) -> list[datetime]:
    """When every stored event of `course` (executions and notebook events) happened."""
    with sqlite3.connect(server.database) as db:
        rows = db.execute(
            "SELECT event_time FROM cell_executions WHERE course_id = ? "
            "UNION ALL SELECT event_time FROM notebook_events WHERE course_id = ?",
            (course, course),
        ).fetchall()
    times = [datetime.fromisoformat(str(row[0])) for row in rows]
    return [t if t.tzinfo else t.replace(tzinfo=UTC) for t in times]


def test_a_student_of_two_courses_sees_both_and_opts_in_to_one(two_course_server, chromium):
    server = two_course_server
    assignment = publish(server, "cs101")
    write_published_notebook(server, assignment, "cs101")
    context = new_context(chromium)
    page = context.new_page()
    posted = record_posted_events(page)
    try:
        page.goto(server.lab_url(NOTEBOOK))
        status = page.get_by_test_id("pt-capture-status")
        # cs202 and the student's other notebooks capture; cs101 waits for an answer
        expect(status).to_have_text("Tracking: 2 courses, 1 asks your consent")
        # The notice opened by itself for cs101, listing both courses with their modes.
        cs101 = page.locator("[data-testid='pt-notice-course'][data-course='cs101']")
        cs202 = page.locator("[data-testid='pt-notice-course'][data-course='cs202']")
        expect(cs101).to_contain_text("opt-in")
        expect(cs101).to_contain_text("asks your consent")
        expect(cs101.get_by_test_id("pt-sent-fields")).to_contain_text("code")
        expect(cs101.get_by_test_id("pt-sent-fields")).not_to_contain_text("result")
        expect(cs101).to_contain_text("teaching assistants of cs101")
        expect(cs202).to_contain_text("opt-out")
        expect(cs202).to_contain_text("Progress capture: on · cs202")
        expect(cs202.get_by_test_id("pt-consent-choice")).to_have_text("Stop capture")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "notice-courses-panel.png"))

        page.get_by_role("tab", name=NOTEBOOK).click()
        expect(page.locator("#jp-main-statusbar")).to_contain_text(re.compile(r"\|\s*Idle"))
        run_cell(page, 0, 1)
        before_consent = datetime.now(UTC)

        page.get_by_role("tab", name="Progress tracking").click()
        cs101.get_by_test_id("pt-consent-choice").click()
        expect(status).to_have_text("Tracking: 3 courses")
        expect(cs101).to_contain_text("Progress capture: on · cs101")
        page.get_by_role("tab", name=NOTEBOOK).click()
        run_cell(page, 3, 2)
        runs = wait_until(
            lambda: stored_runs(server, "cs101") or None,
            "the run after consent to be stored in cs101",
            pause=page_pause(page),
        )

        assert runs == ["cell-print"], "the run before consent was neither sent nor stored"
        of_the_course = [e for e in posted if e.get("assignmentId") == assignment]
        sent_times = [datetime.fromisoformat(e["eventTime"]) for e in of_the_course]
        assert sent_times and min(sent_times) >= before_consent, of_the_course
        assert all("result" not in event for event in of_the_course)  # above cs101's level
        # nothing of cs101 that happened before consent (the notebook's opening, the first
        # run) is stored
        assert min(stored_times(server, "cs101")) >= before_consent

        # Stopping cs202 pauses it alone, and the status bar says so.
        page.get_by_role("tab", name="Progress tracking").click()
        cs202.get_by_test_id("pt-consent-choice").click()
        expect(status).to_have_text("Tracking: 2 courses, 1 paused")
        expect(cs202).to_contain_text("Progress capture: off · cs202")
        expect(cs202.get_by_test_id("pt-consent-choice")).to_have_text("Allow capture")
    finally:
        page.screenshot(path=str(ARTIFACTS / "notice-courses-e2e.png"))
        context.close()
