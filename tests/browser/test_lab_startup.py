"""JupyterLab does not wait for the progress-tracker server: its plugins activate at once and ask
`api/v1/me` and `api/v1/settings` in the background.

While both requests hang (a Playwright route that never answers, as a collector that does not
respond would make them), JupyterLab starts, opens a notebook and runs its cells; the
dashboard is offered once `me` answers, and the runs captured meanwhile reach the server once
`settings` answers. The dashboard takes its "needing help" thresholds from `api/v1/settings`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LabServer
from tests.waiting import page_pause, wait_until

pytestmark = pytest.mark.browser

NOTEBOOK = "startup.ipynb"
COMMAND = "progress-tracker:open-dashboard"
ME_URL = re.compile(r".*/api/v1/me(\?.*)?$")
SETTINGS_URL = re.compile(r".*/api/v1/settings(\?.*)?$")
HAS_COMMAND = f"() => window.jupyterapp.commands.hasCommand('{COMMAND}')"


class InspectableLabServer(LabServer):
    """The conftest server, with the JupyterLab application exposed as `window.jupyterapp`."""

    def command(self) -> list[str]:
        return [*super().command(), "--LabApp.expose_app_in_browser=True"]


def start_server(tmp_path: Any, **tracker_options: Any) -> Iterator[InspectableLabServer]:
    server = InspectableLabServer(tmp_path, **tracker_options)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def lab(tmp_path, built_labextension) -> Iterator[InspectableLabServer]:
    """A running `jupyter lab` whose owner is the instructor (embedded mode)."""
    yield from start_server(tmp_path)


@pytest.fixture
def lab_with_thresholds(tmp_path, built_labextension) -> Iterator[InspectableLabServer]:
    """A running `jupyter lab` whose operator set the help thresholds."""
    yield from start_server(tmp_path, help_error_threshold=1, help_idle_minutes=25)


def write_notebook(server: LabServer) -> None:
    """One code cell that prints 42 (nbformat 4.5: cells carry ids)."""
    notebook = {
        "cells": [
            {
                "id": "cell-answer",
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": "print(6 * 7)",
            }
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (server.root / NOTEBOOK).write_text(json.dumps(notebook))


class HeldRequests:
    """Requests a route holds unanswered until the test lets them through."""

    def __init__(self) -> None:
        self.routes: list[Any] = []

    def hold(self, route: Any) -> None:
        self.routes.append(route)

    def release(self) -> None:
        for route in self.routes:
            route.continue_()
        self.routes.clear()


def test_jupyterlab_starts_while_the_tracker_server_does_not_answer(
    lab: InspectableLabServer, browser_context: Any
) -> None:
    write_notebook(lab)
    me, settings = HeldRequests(), HeldRequests()
    browser_context.route(ME_URL, me.hold)
    browser_context.route(SETTINGS_URL, settings.hold)
    page = browser_context.new_page()

    # JupyterLab starts and the notebook opens with its kernel, the two requests pending.
    page.goto(lab.lab_url(NOTEBOOK))
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for()
    expect(page.locator("#jp-main-statusbar")).to_contain_text(re.compile(r"\|\s*Idle"))
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands")
    assert me.routes, "the dashboard plugin asks who the user is"
    assert settings.routes, "the capture plugin asks for its settings"

    # The notebook is usable: a cell runs.
    page.locator(".jp-NotebookPanel .jp-Cell .jp-InputArea-prompt").first.click()
    page.keyboard.press("Shift+Enter")
    page.locator(".jp-NotebookPanel .jp-OutputArea-output").get_by_text("42").wait_for()
    # Nobody has said yet that this user is an instructor.
    assert not page.evaluate(HAS_COMMAND)

    # The server answers: the dashboard is offered, in the launcher too.
    me.release()
    page.wait_for_function(HAS_COMMAND)
    page.evaluate("() => window.jupyterapp.commands.execute('launcher:create')")
    page.locator(".jp-LauncherCard", has_text="Progress dashboard").wait_for()

    # The run captured while the settings were pending is sent once they answer.
    assert lab.executions(NOTEBOOK) == []
    settings.release()
    runs = wait_until(
        lambda: lab.executions(NOTEBOOK), "the captured run on the server", pause=page_pause(page)
    )
    assert [(run["cellId"], run["hasError"]) for run in runs] == [("cell-answer", False)]


def test_the_dashboard_takes_the_help_thresholds_of_the_server(
    lab_with_thresholds: InspectableLabServer, browser_context: Any
) -> None:
    page = browser_context.new_page()
    page.goto(f"{lab_with_thresholds.url}lab?token={lab_with_thresholds.token}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands")
    page.wait_for_function(HAS_COMMAND)
    page.evaluate(f"() => window.jupyterapp.commands.execute('{COMMAND}')")

    page.wait_for_function(
        """() => document.querySelector('.pt-help-errors')?.value === '1'
            && document.querySelector('.pt-help-idle')?.value === '25'"""
    )
