"""Student capture end to end: a real `jupyter lab` with the extension, Debian's Chromium driven by
Playwright, and the events read back through the instructor API and the database.

What a student does (open a notebook, run a cell that works, one that fails, a markdown cell, save)
must arrive with every field right, each code cell's start included; events captured while the server is unreachable or down must
arrive once it is back, and events left unsent by a page must be sent by the page after a reload,
each exactly once. "Run all" captures every cell as the kernel handled it (run, failed, or aborted
after an error), and an interrupted cell is reported as failed.

Every wait is on something observable (a prompt, an output, the kernel status, a stored row),
with the generous deadlines of tests/chromium.py and tests/waiting.py.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.waiting import page_pause, wait_until

pytestmark = pytest.mark.browser

NOTEBOOK = "lab1.ipynb"
EVENTS_URL = re.compile(r".*/api/v1/events(\?.*)?$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

CELLS: list[dict[str, Any]] = [
    {"id": "cell-sum", "cell_type": "code", "source": "total = 21 * 2\ntotal"},
    {"id": "cell-price", "cell_type": "code", "source": "prices = {'apple': 1}\nprices['price']"},
    {"id": "cell-notes", "cell_type": "markdown", "source": "# Notes\nPrices are in euros."},
    {"id": "cell-print", "cell_type": "code", "source": "print('hello, world')"},
    {
        "id": "cell-sleep",
        "cell_type": "code",
        "source": "import time\nfor second in range(120):\n    print(second, flush=True)\n"
        "    time.sleep(1)",
    },
]
SLEEP_CELL = 4


def write_notebook(server: Any) -> None:
    """Write the notebook the student works on (nbformat 4.5: cells carry ids)."""
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
    (server.root / NOTEBOOK).write_text(json.dumps(notebook, indent=1))


def open_notebook(page: Any, server: Any) -> None:
    """Open the notebook and wait until its kernel is idle (a run before that does nothing)."""
    page.goto(server.lab_url(NOTEBOOK))
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for()
    expect(page.locator("#jp-main-statusbar")).to_contain_text(re.compile(r"\|\s*Idle"))


def cell(page: Any, index: int) -> Any:
    return page.locator(".jp-NotebookPanel .jp-Cell").nth(index)


def prompt(page: Any, index: int) -> Any:
    """The input prompt of a cell: `[n]:` once run, `[ ]:` when not, `[*]:` while queued."""
    return cell(page, index).locator(".jp-InputArea-prompt")


def run_cell(page: Any, index: int, expected_count: int | None, key: str = "Shift+Enter") -> None:
    """Select a cell, run it from the keyboard and wait until the kernel has answered."""
    prompt(page, index).click()
    page.keyboard.press(key)
    if expected_count is not None:
        expect(prompt(page, index)).to_have_text(f"[{expected_count}]:")


def menu(page: Any, name: str, item: str) -> None:
    """Choose `item` in the menu bar's menu `name`."""
    page.locator(".lm-MenuBar-itemLabel", has_text=name).click()
    page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).click()


def outbox(page: Any) -> list[dict[str, Any]]:
    """The events waiting in the page's outbox (localStorage)."""
    return page.evaluate(
        """() => Object.keys(localStorage)
            .filter(key => key.startsWith('progress-tracker:outbox:'))
            .flatMap(key => JSON.parse(localStorage.getItem(key)))"""
    )


def notebook_events(server: Any) -> list[tuple[str, str, str]]:
    """(eventType, notebook path, user) of the stored notebook events, read from SQLite."""
    with sqlite3.connect(server.database) as db:
        return db.execute(
            "SELECT e.event_type, n.path, s.user_id FROM notebook_events e"
            " JOIN notebooks n ON n.id = e.notebook_id JOIN students s ON s.id = e.student_id"
            " ORDER BY e.event_time"
        ).fetchall()


def started_cells(server: Any) -> list[tuple[str, str, str]]:
    """(cell id, notebook path, user) of the stored `cell_started` events, oldest first."""
    with sqlite3.connect(server.database) as db:
        return db.execute(
            "SELECT e.cell_id, n.path, s.user_id FROM notebook_events e"
            " JOIN notebooks n ON n.id = e.notebook_id JOIN students s ON s.id = e.student_id"
            " WHERE e.event_type = 'cell_started' ORDER BY e.event_time"
        ).fetchall()


def wait_for_executions(page: Any, server: Any, count: int, what: str) -> list[dict[str, Any]]:
    """Wait until `count` executions of the notebook are stored, and return them."""

    def probe() -> list[dict[str, Any]] | None:
        rows = server.executions(NOTEBOOK)
        return rows if len(rows) >= count else None

    return wait_until(probe, what, pause=page_pause(page))


def milliseconds_since(start: datetime) -> float:
    return (datetime.now(UTC) - start).total_seconds() * 1000


def record_posted_events(page: Any) -> list[dict[str, Any]]:
    """The events the page POSTs from now on, as sent on the wire (the list grows)."""
    posted: list[dict[str, Any]] = []
    page.on(
        "request",
        lambda request: (
            posted.extend(json.loads(request.post_data or "[]"))
            if EVENTS_URL.match(request.url) and request.method == "POST"
            else None
        ),
    )
    return posted


def abort_events(context: Any) -> None:
    """Make the events endpoint unreachable from the browser."""
    context.route(EVENTS_URL, lambda route: route.abort("connectionrefused"))


def assert_no_duplicates(executions: list[dict[str, Any]]) -> None:
    ids = [event["eventId"] for event in executions]
    assert len(ids) == len(set(ids)), f"duplicated events: {ids}"


def test_capture_survives_errors_restarts_and_reloads(
    lab_server: Any, browser_context: Any, screenshot: Any
) -> None:
    server = lab_server
    write_notebook(server)
    page = browser_context.new_page()
    pause = page_pause(page)
    started = datetime.now(UTC) - timedelta(seconds=1)

    # --- a student's session: a cell that works, one that fails, a markdown cell, a save ------
    open_notebook(page, server)
    screenshot(page, "01-opened")
    run_cell(page, 0, 1)
    run_cell(page, 1, 2)
    run_cell(page, 2, None)
    page.locator(".jp-RenderedMarkdown h1").get_by_text("Notes").wait_for()
    page.keyboard.press("Control+s")
    screenshot(page, "02-ran")

    executions = wait_for_executions(page, server, 3, "3 stored executions")
    session_ms = milliseconds_since(started)
    finished = datetime.now(UTC) + timedelta(seconds=1)
    assert len(executions) == 3
    by_cell = {event["cellId"]: event for event in executions}
    assert set(by_cell) == {"cell-sum", "cell-price", "cell-notes"}
    for event in executions:
        assert event["eventType"] == "cell_executed"
        assert event["userId"] == server.owner
        assert event["notebookPath"] == NOTEBOOK
        assert UUID.match(event["eventId"]), event["eventId"]
        assert started <= datetime.fromisoformat(event["eventTime"]) <= finished
        assert started <= datetime.fromisoformat(event["receivedAt"]) <= finished
    assert_no_duplicates(executions)

    ok = by_cell["cell-sum"]
    assert ok["cellIndex"] == 0
    assert ok["cellType"] == "code"
    assert ok["code"] == "total = 21 * 2\ntotal"
    assert ok["executionCount"] == 1
    assert ok["hasError"] is False
    assert ok["errorMessage"] is None
    assert ok["result"] == "42"
    assert 0 <= ok["executionDurationMs"] <= session_ms

    failed = by_cell["cell-price"]
    assert failed["cellIndex"] == 1
    assert failed["cellType"] == "code"
    assert failed["code"] == "prices = {'apple': 1}\nprices['price']"
    assert failed["executionCount"] == 2
    assert failed["hasError"] is True
    assert failed["errorMessage"] == "KeyError: 'price'"
    assert failed["result"] is None
    assert 0 <= failed["executionDurationMs"] <= session_ms

    markdown = by_cell["cell-notes"]
    assert markdown["cellIndex"] == 2
    assert markdown["cellType"] == "markdown"
    assert markdown["code"] == "# Notes\nPrices are in euros."
    assert markdown["executionCount"] is None
    assert markdown["hasError"] is False
    assert markdown["errorMessage"] is None
    assert markdown["result"] is None
    assert markdown["executionDurationMs"] is None

    def opened_and_saved() -> list[tuple[str, str, str]] | None:
        rows = notebook_events(server)
        return rows if {"notebook_opened", "notebook_saved"} <= {row[0] for row in rows} else None

    stored = wait_until(opened_and_saved, "notebook_opened and notebook_saved", pause=pause)
    assert {(kind, path, user) for kind, path, user in stored} >= {
        ("notebook_opened", NOTEBOOK, server.owner),
        ("notebook_saved", NOTEBOOK, server.owner),
    }

    # Each code cell run was announced when it was scheduled; the markdown cell was not (the
    # save, stored above, was queued after it).
    def two_starts() -> list[tuple[str, str, str]] | None:
        rows = started_cells(server)
        return rows if len(rows) >= 2 else None

    starts = wait_until(two_starts, "the cell_started events of the two code cells", pause=pause)
    assert starts == [
        ("cell-sum", NOTEBOOK, server.owner),
        ("cell-price", NOTEBOOK, server.owner),
    ]

    # --- the server is unreachable, then restarts: events wait in the outbox -------------------
    abort_events(browser_context)
    run_cell(page, 3, 3, key="Control+Enter")
    run_cell(page, 3, 4, key="Control+Enter")

    def printed_runs_waiting() -> list[dict[str, Any]] | None:
        items = [
            event
            for event in outbox(page)
            if event.get("cellId") == "cell-print" and event["eventType"] == "cell_executed"
        ]
        return items if len(items) == 2 else None

    waiting = wait_until(printed_runs_waiting, "2 events in the outbox", pause=pause)
    assert [event["executionCount"] for event in waiting] == [3, 4]
    assert [event["result"] for event in waiting] == ["hello, world\n"] * 2
    screenshot(page, "03-unreachable")

    server.stop()
    browser_context.unroute(EVENTS_URL)
    server.start()

    executions = wait_for_executions(page, server, 5, "the outbox to drain after the restart")
    assert len(executions) == 5
    assert_no_duplicates(executions)
    assert {event["eventId"] for event in waiting} <= {event["eventId"] for event in executions}
    wait_until(lambda: outbox(page) == [], "an empty outbox", pause=pause)

    # --- a reload with unsent events: the next page sends them -------------------------------
    abort_events(browser_context)
    open_notebook(page, server)  # the restarted server has a new kernel: counts start again
    run_cell(page, 0, 1, key="Control+Enter")
    unsent = wait_until(
        lambda: [e for e in outbox(page) if e["eventType"] == "cell_executed"],
        "an unsent execution",
        pause=pause,
    )
    assert [event["cellId"] for event in unsent] == ["cell-sum"]

    page.reload()
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for()
    assert unsent[0]["eventId"] in {event["eventId"] for event in outbox(page)}
    screenshot(page, "04-reloaded")

    browser_context.unroute(EVENTS_URL)
    executions = wait_for_executions(page, server, 6, "the event left by the previous page")
    assert len(executions) == 6
    assert_no_duplicates(executions)
    assert executions[-1]["eventId"] == unsent[0]["eventId"]
    assert executions[-1]["executionCount"] == 1
    wait_until(lambda: outbox(page) == [], "an empty outbox", pause=pause)
    screenshot(page, "05-done")


def test_run_all_and_interrupt_are_captured(
    lab_server: Any, browser_context: Any, screenshot: Any
) -> None:
    server = lab_server
    write_notebook(server)
    page = browser_context.new_page()
    open_notebook(page, server)

    # "Run all" of the cells above the sleeping one. JupyterLab sends one execute request per
    # cell at once, and the kernel aborts the requests queued behind the error. A request that
    # reaches the kernel only after it handled the error (on a loaded machine) is run instead:
    # whichever the kernel did, the capture reports what the notebook shows. (The sleeping cell
    # stays out of the run: run instead of aborted, it would hold the kernel for two minutes.)
    prompt(page, SLEEP_CELL).click()
    menu(page, "Run", "Run All Above Selected Cell")
    run = wait_for_executions(page, server, 4, "every cell of the run")
    screenshot(page, "06-run-all")
    # The markdown cell is reported at once, the code cells as the kernel gets to them.
    assert {(e["cellId"], e["cellIndex"]) for e in run} == {
        ("cell-sum", 0),
        ("cell-price", 1),
        ("cell-notes", 2),
        ("cell-print", 3),
    }
    assert len(run) == 4
    by_cell = {event["cellId"]: event for event in run}
    assert (by_cell["cell-sum"]["hasError"], by_cell["cell-sum"]["result"]) == (False, "42")
    assert by_cell["cell-price"]["errorMessage"] == "KeyError: 'price'"
    assert by_cell["cell-notes"]["cellType"] == "markdown"
    printed = by_cell["cell-print"]
    if printed["executionCount"] is None:  # aborted: never run, no output
        expect(prompt(page, 3)).to_have_text("[ ]:")
        expect(cell(page, 3).locator(".jp-OutputArea-output")).to_have_count(0)
        assert (printed["hasError"], printed["errorMessage"]) == (True, "Aborted")
        assert printed["result"] is None
    else:  # run after the error
        expect(prompt(page, 3)).to_have_text("[3]:")
        assert (printed["hasError"], printed["executionCount"]) == (False, 3)
        assert printed["result"] == "hello, world\n"
    counted = max(event["executionCount"] or 0 for event in run)

    # An interrupted cell: the kernel reports KeyboardInterrupt. Interrupt once the cell has run
    # for a second (it printed 1), so that the interrupt reaches running code.
    scheduled = datetime.now(UTC)
    run_cell(page, SLEEP_CELL, None, key="Control+Enter")
    output = cell(page, SLEEP_CELL).locator(".jp-OutputArea-output").first
    expect(output).to_contain_text(re.compile(r"^0\s+1\b"))
    menu(page, "Kernel", "Interrupt Kernel")
    executions = wait_for_executions(page, server, 5, "the interrupted run")
    elapsed_ms = milliseconds_since(scheduled)
    screenshot(page, "07-interrupted")
    [interrupted] = [event for event in executions if event["cellId"] == "cell-sleep"]
    assert interrupted["hasError"] is True
    assert interrupted["errorMessage"] == "KeyboardInterrupt"
    assert interrupted["executionCount"] == counted + 1
    expect(prompt(page, SLEEP_CELL)).to_have_text(f"[{counted + 1}]:")
    assert 1000 <= interrupted["executionDurationMs"] <= elapsed_ms
    assert_no_duplicates(executions)
