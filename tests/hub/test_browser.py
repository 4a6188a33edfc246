"""A student logs in through the hub in Chromium, runs a cell, and the collector stores it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.chromium import CHROMIUM, launch, new_context
from tests.conftest import require
from tests.hub.conftest import BUILT_LABEXTENSION

pytestmark = [pytest.mark.hub, pytest.mark.browser]

NOTEBOOK = "hub-browser.ipynb"


def write_notebook(folder: Path) -> None:
    notebook = {
        "cells": [
            {
                "id": "cell-answer",
                "cell_type": "code",
                "source": "21 * 2",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
            }
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (folder / NOTEBOOK).write_text(json.dumps(notebook))


def test_a_student_runs_a_cell_in_chromium_and_the_collector_stores_it(hub):
    require(CHROMIUM.exists(), f"{CHROMIUM} is not installed")
    require((BUILT_LABEXTENSION / "package.json").exists(), "the labextension is not built")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        require(False, "Playwright for Python is not installed")
    write_notebook(hub.run / "home" / "student1")

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = new_context(browser, viewport={"width": 1400, "height": 900}).new_page()
            page.goto(f"{hub.url}hub/login")
            page.fill("#username_input", "student1")
            page.fill("#password_input", hub.password)
            page.click("#login_submit")
            page.wait_for_url(re.compile(r".*/(hub/home|hub/spawn-pending/.*|user/student1/.*)"))
            page.goto(f"{hub.server_url('student1')}lab/tree/{NOTEBOOK}")
            cell = page.locator(".jp-NotebookPanel .jp-Cell").first
            cell.wait_for()
            expect(page.locator("#jp-main-statusbar")).to_contain_text(re.compile(r"\|\s*Idle"))
            cell.locator(".jp-InputArea-prompt").click()
            page.keyboard.press("Shift+Enter")
            expect(cell.locator(".jp-InputArea-prompt")).to_have_text("[1]:")
            stored = hub.stored_event_ids(NOTEBOOK, expected=1)
        finally:
            browser.close()

    assert len(stored) == 1
    [row] = hub.stored(
        "SELECT s.user_id, c.cell_id, e.code FROM cell_executions e"
        " JOIN students s ON s.id = e.student_id JOIN cells c ON c.id = e.cell_pk"
        " WHERE e.event_id = $1",
        stored[0],
    )
    assert (row["user_id"], row["cell_id"], row["code"]) == ("student1", "cell-answer", "21 * 2")
