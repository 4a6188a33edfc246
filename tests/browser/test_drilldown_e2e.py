"""The cell drill-down end to end: a class of 40 simulated students of course cs101 working on a
published assignment (events POSTed as each of them through the real API), a real `jupyter lab`
whose owner is cs101's instructor, Debian's Chromium.

What is checked, as an instructor sees it:
- an interrupted run shows as interrupted in the grid, not failed; a kernel restart ends a
  student's running cell live;
- clicking a column header opens the drill-down with every student's latest attempt (status,
  attempts), their code read-only in JupyterLab's own editor (CodeMirror), the signals with
  their definitions on hover and for assistive technology; filtered by status, navigated with
  the keyboard, closed with Escape;
- an error group lists the students who have that error now; choosing one shows their attempt.

The server is test_dashboard_e2e.py's, with hub-like identities of cs101.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from jupyter_server.auth.identity import IdentityProvider, User
from playwright.sync_api import expect

from tests.browser.test_dashboard_e2e import (
    COMMAND,
    HubStyleUser,
    LabServer,
    _open_lab,
    _start_lab,
    _wait_cell_status,
    _wait_for_dashboard_command,
)
from tests.chromium import new_context

pytestmark = pytest.mark.browser
ASSIGNMENT = "cs101-lab1"


class CourseIdentityProvider(IdentityProvider):
    """The owner is cs101's instructor `teacher`; `token student:<name>` is cs101's student."""

    async def get_user(self, handler: Any) -> User | None:
        header = handler.request.headers.get("Authorization", "")
        token = header.removeprefix("token ").strip()
        if token.startswith("student:") and len(token) > len("student:"):
            handler._token_authenticated = True
            name = token.removeprefix("student:")
            return HubStyleUser(name, hub_user={"name": name, "groups": ["cs101-students"]})
        user = await super().get_user(handler)
        if user is None:
            return None
        return HubStyleUser(
            "teacher", hub_user={"name": "teacher", "groups": ["cs101-instructors"]}
        )


@pytest.fixture
def classroom(tmp_path, built_labextension) -> Iterator[LabServer]:
    """The lab server of cs101, with lab 1 published as an assignment."""
    for server in _start_lab(
        tmp_path, built_labextension, "tests.browser.test_drilldown_e2e.CourseIdentityProvider"
    ):
        publication = {
            "course": "cs101",
            "title": "Lab 1",
            "path": NOTEBOOK,
            "assignmentId": ASSIGNMENT,
            "cells": [
                {
                    "cellId": f"cell-{i}",
                    "gradeId": None,
                    "cellType": "code",
                    "label": f"Step {i}",
                    "source": f"step_{i}()",
                }
                for i in range(3)
            ],
        }
        status, body = server.api("POST", "api/v1/assignments", publication)
        assert status in (200, 201), body
        yield server


NOTEBOOK = "course/lab1.ipynb"
KEY_ERROR = "KeyError: 'price'"
STUDENTS = [f"s{i:02d}" for i in range(1, 41)]
FIXED = STUDENTS[:10]  # failed twice, then succeeded
STUCK = STUDENTS[10:20]  # their latest run failed with KEY_ERROR
STOPPED = STUDENTS[20:25]  # interrupted their latest run


def event(kind: str, cell: int, at: datetime, **fields: Any) -> dict[str, Any]:
    return {
        "eventId": f"dd-{uuid.uuid4().hex}",
        "eventType": kind,
        "eventTime": at.isoformat(),
        "notebookPath": NOTEBOOK,
        "assignmentId": ASSIGNMENT,
        "cellId": f"cell-{cell}",
        "cellIndex": cell,
        "cellType": "code",
        **fields,
    }


def run(cell: int, at: datetime, code: str, error: str | None = None, **fields: Any):
    return event(
        "cell_executed",
        cell,
        at,
        code=code,
        executionCount=cell + 1,
        hasError=error is not None,
        errorMessage=error,
        **fields,
    )


def seed_class(server: LabServer, now: datetime) -> None:
    """40 students on cells 0-2; cell 1 is where they differ."""
    minute = timedelta(minutes=1)
    for index, name in enumerate(STUDENTS):
        events = [run(0, now - 9 * minute, "import pandas as pd")]
        if name in FIXED:
            events += [
                run(1, now - 8 * minute, "df['prices'].sum()", KEY_ERROR),
                run(1, now - 7 * minute, "df['prices'].sum()", KEY_ERROR),
                run(
                    1, now - (6 * 60 - index) * timedelta(seconds=1), f"df['price'].sum()  # {name}"
                ),
            ]
        elif name in STUCK:
            events += [run(1, now - 5 * minute, f"df['prices']  # {name}", KEY_ERROR)]
        elif name in STOPPED:
            events += [
                run(
                    1,
                    now - 4 * minute,
                    "while True: pass",
                    "KeyboardInterrupt: ",
                    interrupted=True,
                )
            ]
        else:
            events += [run(1, now - 3 * minute, "df['price'].sum()")]
        server.post_events(name, events)


def option(page: Any, student: str) -> Any:
    return page.locator(f".pt-drill-option[data-student='{student}']")


def test_the_drill_down_shows_every_latest_attempt(classroom: LabServer, chromium: Any) -> None:
    now = datetime.now(UTC)
    seed_class(classroom, now)
    context = new_context(chromium, viewport={"width": 1500, "height": 1600})
    page = _open_lab(context, classroom)
    try:
        _wait_for_dashboard_command(page)
        page.evaluate(f"() => window.jupyterapp.commands.execute('{COMMAND}')")
        page.wait_for_selector(".pt-dashboard .pt-grid-row[data-user='s01']")

        # Truthful states: interrupted, not failed; a kernel restart ends a running cell, live.
        _wait_cell_status(page, STOPPED[0], 1, "interrupted")
        _wait_cell_status(page, STUCK[0], 1, "failed")
        classroom.post_events("s40", [event("cell_started", 2, datetime.now(UTC))])
        _wait_cell_status(page, "s40", 2, "running")
        restart = {
            "eventId": f"dd-{uuid.uuid4().hex}",
            "eventType": "kernel_status",
            "eventTime": (datetime.now(UTC) + timedelta(seconds=1)).isoformat(),
            "notebookPath": NOTEBOOK,
            "assignmentId": ASSIGNMENT,
            "kernelStatus": "restarting",
        }
        classroom.post_events("s40", [restart])
        _wait_cell_status(page, "s40", 2, "not-run")
        assert STOPPED[0] not in page.locator(".pt-help").inner_text()

        # A column header opens the drill-down of its cell: every student's latest attempt.
        page.locator(".pt-grid-colhead[data-cell-id='cell-1']").click()
        drill = page.locator(".pt-drill")
        expect(drill).to_be_visible()
        expect(page.locator(".pt-drill-option")).to_have_count(40)
        expect(option(page, STUCK[0])).to_contain_text("failed")
        expect(option(page, STOPPED[0])).to_contain_text("interrupted")
        expect(option(page, FIXED[0])).to_contain_text("3 attempts")

        # Sorted by attempts: the ones who tried most first; an attempt's code in CodeMirror.
        page.select_option(".pt-drill-controls select >> nth=1", "attempts")
        expect(page.locator(".pt-drill-option").first).to_have_attribute("data-student", FIXED[0])
        option(page, FIXED[0]).click()
        details = page.locator(".pt-drill-details")
        expect(details.locator(".cm-editor .cm-content")).to_contain_text(
            f"df['price'].sum()  # {FIXED[0]}"
        )
        code = details.locator(".cm-editor .cm-content")
        code.click()
        page.keyboard.type("zzz")
        expect(code).not_to_contain_text("zzz")  # read-only: JupyterLab's own editor says no
        eq = details.locator("dt[data-signal='errorQuotient']")
        assert "Jadud" in (eq.get_attribute("title") or "")
        described = eq.get_attribute("aria-describedby")
        assert "Jadud" in page.evaluate(
            "(id) => document.getElementById(id).textContent", described
        )
        expect(details.locator("dd").nth(0)).to_have_text("0.50")  # fail, same fail, success

        # Filter by status; keyboard: arrows move through the students, Escape closes.
        page.select_option(".pt-drill-controls select >> nth=0", "interrupted")
        expect(page.locator(".pt-drill-option")).to_have_count(len(STOPPED))
        page.locator(".pt-drill-list").focus()
        first = page.locator(".pt-drill-list").get_attribute("aria-activedescendant")
        page.keyboard.press("ArrowDown")
        expect(page.locator(".pt-drill-list")).not_to_have_attribute(
            "aria-activedescendant", first or ""
        )
        expect(details).to_contain_text("interrupted")
        page.keyboard.press("Escape")
        expect(drill).to_be_hidden()

        # An error group lists who has the error now; choosing one shows their attempt.
        group = page.locator(".pt-errors-group", has_text=KEY_ERROR)
        group.locator("summary").click()
        group.locator(".pt-errors-open").click()
        expect(drill).to_be_visible()
        buttons = page.locator(".pt-drill-group .pt-drill-student")
        expect(buttons).to_have_count(len(STUCK))
        assert sorted(buttons.all_inner_texts()) == STUCK
        expect(page.locator(".pt-drill-option")).to_have_count(len(STUCK))
        buttons.nth(4).click()
        expect(option(page, STUCK[4])).to_have_attribute("aria-selected", "true")
        expect(details.locator("h3")).to_contain_text(STUCK[4])
        expect(details).to_contain_text(KEY_ERROR)
    finally:
        context.close()
