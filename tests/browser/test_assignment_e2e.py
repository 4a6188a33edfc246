"""Assignments end to end on a plain `jupyter lab`: its owner, the instructor of the implicit
course "default", publishes a notebook from JupyterLab; a renamed copy of it (what a student
works on) is run; the dashboard's grid is the assignment, labelled, live.

What is checked, as an instructor and a student would see it:
- "Publish as assignment" is offered on the open notebook (toolbar, palette), proposes the course
  "default" and the notebook's name, stamps `metadata.progress_tracker` into the saved notebook,
  registers every cell (api/v1/assignments) and says how many cells and which version;
- publishing again keeps the assignment id and makes a new version;
- the copy's runs land in the assignment's grid: one column per published cell, in order, labelled
  by heading or first line (never `[n]`), all of them before anything ran; the full source on
  hover (title) and on keyboard focus (tooltip, `aria-describedby`), as text;
- a cell the student added is counted in their own cells, never a column; the student shows as
  having the notebook open; all of it live, without reloading the dashboard.

Chromium and the built labextension come from conftest.py; every wait is on something the page
or the server shows, with the generous deadlines of tests/chromium.py and tests/waiting.py.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LabServer
from tests.chromium import new_context
from tests.waiting import page_pause, wait_until

pytestmark = pytest.mark.browser

NOTEBOOK = "lab1.ipynb"
COPY = "work/my lab1 (copy).ipynb"
PUBLISH = "progress-tracker:publish-assignment"
DASHBOARD = "progress-tracker:open-dashboard"
HOSTILE = "<img src=x onerror=alert(1)>"
CELLS: list[dict[str, Any]] = [
    {"id": "intro", "cell_type": "markdown", "source": f"# Lab 1: sums {HOSTILE}\nAdd numbers."},
    {"id": "add", "cell_type": "code", "source": "# Add two numbers\n1 + 1"},
    {
        "id": "total",
        "cell_type": "code",
        "source": "total = sum(range(10))\ntotal",
        "metadata": {"nbgrader": {"grade_id": "total", "grade": False}},
    },
    {"id": "bonus-md", "cell_type": "markdown", "source": "Optional part.\n\n## Bonus"},
    {"id": "bonus", "cell_type": "code", "source": "print('bonus')"},
]
LABELS = [f"Lab 1: sums {HOSTILE}", "# Add two numbers", "total = sum(range(10))", "Bonus"]
LABELS.append("print('bonus')")


class InspectableLabServer(LabServer):
    """The conftest server, with the JupyterLab application exposed as `window.jupyterapp`."""

    def command(self) -> list[str]:
        return [*super().command(), "--LabApp.expose_app_in_browser=True"]


@pytest.fixture
def lab(tmp_path: Any, built_labextension: Any) -> Iterator[InspectableLabServer]:
    """A running plain `jupyter lab` whose owner is the instructor of the course "default"."""
    server = InspectableLabServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def write_notebook(root: Any) -> None:
    """The instructor's notebook (nbformat 4.5: cells carry ids)."""
    cells = []
    for cell in CELLS:
        cells.append({"metadata": {}, **cell})
        if cell["cell_type"] == "code":
            cells[-1].update(outputs=[], execution_count=None)
    notebook = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (root / NOTEBOOK).write_text(json.dumps(notebook, indent=1))


# The notebook in view (a restored workspace may hold others, hidden).
PANEL = ".jp-NotebookPanel:visible"


def open_notebook(page: Any, server: Any, path: str, workspace: str | None = None) -> None:
    """Open a notebook (in a workspace of its own, if named) and wait until its kernel is idle
    (a run before that does nothing)."""
    url = server.lab_url(path)
    if workspace:
        url = url.replace("/lab/tree/", f"/lab/workspaces/{workspace}/tree/", 1)
    page.goto(url)
    page.locator(f"{PANEL} .jp-Cell").first.wait_for()
    expect(page.locator("#jp-main-statusbar")).to_contain_text(re.compile(r"\|\s*Idle"))


def run_cell(page: Any, index: int, count: int) -> None:
    """Run a cell from the keyboard and wait for its prompt to show the execution count."""
    prompt = page.locator(f"{PANEL} .jp-Cell").nth(index).locator(".jp-InputArea-prompt")
    prompt.click()
    page.keyboard.press("Shift+Enter")
    expect(prompt).to_have_text(f"[{count}]:")


def stamped(server: Any, path: str) -> dict[str, Any] | None:
    """The assignment identity in a saved notebook's metadata, if any."""
    metadata = json.loads((server.root / path).read_text())["metadata"]
    return metadata.get("progress_tracker")


def publish(page: Any, title: str | None) -> str:
    """Publish from the notebook toolbar; return the result dialog's text once it shows."""
    page.locator(f"{PANEL} .jp-NotebookPanel-toolbar [data-command='{PUBLISH}']").click()
    form = page.locator(".jp-Dialog .pt-publish-form")
    expect(form).to_be_visible()
    expect(form.locator(".pt-publish-course")).to_have_value("default")
    if title is not None:
        form.locator(".pt-publish-title").fill(title)
    page.locator(".jp-Dialog .jp-mod-accept").click()
    result = page.locator(".jp-Dialog .pt-publish-result")
    expect(result).to_be_visible()
    text = result.inner_text()
    page.locator(".jp-Dialog .jp-mod-accept").click()
    expect(page.locator(".jp-Dialog")).to_have_count(0)
    return text


def cell_status(page: Any, user: str, column: int) -> str | None:
    """The status a grid cell shows (the name is a row's first child, columns follow)."""
    return page.evaluate(
        """([user, column]) => {
            const row = document.querySelector(`.pt-grid-row[data-user="${CSS.escape(user)}"]`);
            return row ? row.children[column + 1].dataset.status : null;
        }""",
        [user, column],
    )


def test_a_published_assignment_is_the_grid_of_its_copies(
    lab: InspectableLabServer, chromium: Any, screenshot: Any
) -> None:
    """Publish as the owner, run a renamed copy, see the labelled grid update live."""
    server = lab
    write_notebook(server.root)
    dialogs: list[str] = []
    instructor = new_context(chromium, viewport={"width": 1500, "height": 1000})
    student = new_context(chromium, viewport={"width": 1400, "height": 900})
    try:
        page = instructor.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        open_notebook(page, server, NOTEBOOK)

        # Offered to the owner once the server said who they are: toolbar and palette.
        page.wait_for_function(f"() => window.jupyterapp.commands.hasCommand('{PUBLISH}')")
        page.keyboard.press("Control+Shift+C")
        page.keyboard.type("Publish as assignment")
        page.wait_for_selector(".lm-CommandPalette-item:has-text('Publish as assignment')")
        page.keyboard.press("Escape")

        # Publish: the title proposed is the notebook's name; the result names cells and version.
        text = publish(page, "Lab 1")
        assert "5 cells" in text and "version 1" in text, text
        identity = wait_until(lambda: stamped(server, NOTEBOOK), "the stamped notebook saved")
        assert re.fullmatch(r"[0-9a-f]{32}", identity["assignmentId"]), identity
        assert identity["course"] == "default" and identity["title"] == "Lab 1"
        assignment_id = identity["assignmentId"]

        status, body = server.request("api/v1/assignments")
        assert status == 200, body
        listed = [a for a in body["assignments"] if a["assignmentId"] == assignment_id]
        assert listed and listed[0]["cells"] == 5 and listed[0]["course"] == "default"

        # Publishing again updates the same assignment.
        text = publish(page, None)
        assert "version 2" in text, text
        assert stamped(server, NOTEBOOK)["assignmentId"] == assignment_id

        # A student's renamed copy in a folder carries the identity.
        (server.root / "work").mkdir()
        shutil.copy(server.root / NOTEBOOK, server.root / COPY)

        # The dashboard lists the assignment by title and course; its grid is every published cell.
        page.evaluate(f"() => window.jupyterapp.commands.execute('{DASHBOARD}')")
        page.wait_for_selector(".pt-status[data-status='live']")
        key = f"assignment:{assignment_id}"
        option = page.locator(f".pt-notebook-select option[value='{key}']")
        expect(option).to_contain_text("Lab 1 · default")
        if page.input_value(".pt-notebook-select") != key:
            page.select_option(".pt-notebook-select", key)
        heads = page.locator(".pt-grid-colhead:not(.pt-grid-ownhead)")
        expect(heads).to_have_count(len(CELLS))
        assert heads.all_inner_texts() == LABELS
        expect(page.locator(".pt-grid-ownhead")).to_have_text("own cells")

        # The full source on hover (title) and on keyboard focus (tooltip, description), as text.
        total = heads.nth(2)
        assert "total = sum(range(10))\ntotal" in (total.get_attribute("title") or "")
        described = page.locator(f"#{total.get_attribute('aria-describedby')}")
        expect(described).to_contain_text("total = sum(range(10))")
        total.focus()
        expect(page.locator(".pt-tooltip")).to_be_visible()
        expect(page.locator(".pt-tooltip")).to_contain_text("total = sum(range(10))")
        assert page.locator(".pt-dashboard img, .pt-tooltip img").count() == 0
        total.blur()
        expect(page.locator(".pt-tooltip")).to_be_hidden()

        # The student runs published cells and one of their own in the renamed copy.
        copy = student.new_page()
        copy.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        open_notebook(copy, server, COPY, workspace="student")
        run_cell(copy, 1, 1)
        run_cell(copy, 2, 2)
        copy.locator(f"{PANEL} .jp-Cell").nth(2).locator(".jp-InputArea-prompt").click()
        copy.keyboard.press("Escape")
        copy.keyboard.press("b")  # a cell of their own, below the third
        copy.keyboard.press("Enter")
        copy.keyboard.type("41 + 1")
        copy.keyboard.press("Shift+Enter")
        expect(
            copy.locator(f"{PANEL} .jp-Cell").nth(3).locator(".jp-InputArea-prompt")
        ).to_have_text("[3]:")

        # Live on the dashboard: the copy's runs in the assignment's columns, own cell counted.
        owner = server.owner
        row = page.locator(f".pt-grid-row[data-user='{owner}']")
        row.wait_for()
        wait_until(
            lambda: (
                cell_status(page, owner, 1) == "succeeded"
                and cell_status(page, owner, 2) == "succeeded"
            ),
            "the copy's runs in the published columns",
            pause=page_pause(page),
        )
        assert cell_status(page, owner, 4) == "not-run"
        expect(heads).to_have_count(len(CELLS))  # the own cell is no column
        expect(row.locator(".pt-grid-own")).to_have_text("1 run")
        expect(row.locator(".pt-grid-name")).to_have_attribute("data-open", "true")
        expect(row.locator(".pt-grid-name")).to_have_attribute("title", re.compile("open now"))
        screenshot(page, "assignment-grid")

        # Only the published structure counts: the copy's cell sources were never sent as one.
        status, body = server.request(f"api/v1/assignments/{assignment_id}")
        assert status == 200, body
        assert [c["cellId"] for c in body["cells"]] == [c["id"] for c in CELLS]
        assert dialogs == []
    finally:
        student.close()
        instructor.close()
