"""The help queue end to end on a plain `jupyter lab` whose owner is both a student (their
JupyterLab raises a hand) and the instructor of the implicit course (their dashboard, 480 px
wide, shows the queue).

What is checked, as a student and an instructor would see it:
- the notebook toolbar offers "Raise hand"; it asks for an optional message, then reads
  "Hand raised";
- the hand reaches the open dashboard without a reload, with the message and the cell, marked
  as a raised hand, with Claim and Resolve buttons that fit a 480 px wide dashboard;
- the instructor claims it from the keyboard; the student's button then reads "Someone is
  coming (NAME)"; resolving it takes it off the queue and the student's button back to
  "Raise hand".
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_assignment_e2e import PANEL, InspectableLabServer, open_notebook
from tests.chromium import new_context

pytestmark = pytest.mark.browser

NOTEBOOK = "loops.ipynb"
DASHBOARD = "progress-tracker:open-dashboard"
MESSAGE = "my loop never ends <b>help</b>"


@pytest.fixture
def lab(tmp_path: Any, built_labextension: Any) -> Iterator[InspectableLabServer]:
    server = InspectableLabServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def write_notebook(root: Any) -> None:
    cells = [
        {"id": "setup", "cell_type": "code", "source": "n = 3"},
        {"id": "loop", "cell_type": "code", "source": "while n:\n    n -= 1"},
    ]
    notebook = {
        "cells": [{"metadata": {}, "outputs": [], "execution_count": None, **c} for c in cells],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (root / NOTEBOOK).write_text(json.dumps(notebook, indent=1))


def test_a_raised_hand_reaches_the_instructor_live_and_their_answer_reaches_the_student(
    lab: InspectableLabServer, chromium: Any, screenshot: Any
) -> None:
    server = lab
    write_notebook(server.root)
    instructor = new_context(chromium, viewport={"width": 480, "height": 900})
    student = new_context(chromium, viewport={"width": 1300, "height": 900})
    try:
        # The instructor's dashboard is open and live before anyone raises a hand.
        board = instructor.new_page()
        board.goto(f"{server.url}lab?token={server.token}")
        board.wait_for_function(f"() => window.jupyterapp?.commands.hasCommand('{DASHBOARD}')")
        board.evaluate(f"() => window.jupyterapp.commands.execute('{DASHBOARD}')")
        board.wait_for_selector(".pt-status[data-status='live']")
        expect(board.locator(".pt-help")).to_contain_text("No raised hand")

        # The student raises a hand on the loop cell, with a message.
        page = student.new_page()
        open_notebook(page, server, NOTEBOOK, workspace="student")
        page.locator(f"{PANEL} .jp-Cell").nth(1).locator(".jp-InputArea-prompt").click()
        button = page.locator(f"{PANEL} .pt-hand-button")
        expect(button).to_have_text("Raise hand")
        button.click()
        dialog = page.locator(".jp-Dialog")
        expect(dialog).to_contain_text("What do you need help with?")
        dialog.locator("input").fill(MESSAGE)
        dialog.locator(".jp-mod-accept").click()
        expect(button).to_have_text("Hand raised")

        # Live on the dashboard: the hand, its message (as text) and its cell, with its buttons.
        owner = server.owner
        item = board.locator(f".pt-help-raised[data-user='{owner}']")
        expect(item).to_contain_text(MESSAGE)
        expect(item).to_contain_text("hand raised")
        expect(item).to_contain_text("waiting")
        expect(item).to_contain_text(NOTEBOOK)
        assert board.locator(".pt-help b").count() == 0
        status, body = server.request("api/v1/help")
        assert [(e["cellId"], e["message"]) for e in body["entries"]] == [("loop", MESSAGE)]
        claim = item.locator(".pt-help-claim")
        # In one step in the page: the queue may be redrawn at any moment (its wait times tick,
        # the snapshot's cell labels arrive), which replaces the button between two steps.
        box = claim.evaluate(
            "button => { button.scrollIntoView({block: 'nearest'});"
            " const r = button.getBoundingClientRect(); return {x: r.x, width: r.width}; }"
        )
        assert box["x"] + box["width"] <= 480, box
        screenshot(board, "help-queue-480")

        # Claimed from the keyboard: the student learns who is coming.
        claim.focus()
        board.keyboard.press("Enter")
        expect(item).to_have_attribute("data-state", "claimed")
        expect(item).to_contain_text(f"claimed by {owner}")
        expect(button).to_have_text(f"Someone is coming ({owner})")

        # Resolved: off the queue, and the student's hand is down.
        item.locator(".pt-help-resolve").click()
        expect(item).to_have_count(0)
        expect(button).to_have_text("Raise hand")
        status, body = server.request("api/v1/help")
        assert status == 200 and body["entries"] == [], body
    finally:
        instructor.close()
        student.close()
