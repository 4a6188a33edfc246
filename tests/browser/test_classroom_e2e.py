"""Where the class is, accessibility and projector mode, end to end: a real `jupyter lab`, a
published assignment, a simulated class of 40 students who worked on it earlier today, and
Debian's Chromium.

What an instructor relies on, as they would see it:
- the time window (last 10 minutes, custom from–until) and the playback slider change the grid
  and its per-cell completion bars; "everything" is the live grid again;
- projector mode hides every real name on screen (grid, tooltips, help list, timeline, errors),
  is remembered after a reload, and "first names" shows only the part before the separator;
- axe-core finds no violation on the dashboard: grid, timeline, help list, errors, playback,
  projector mode, light and dark theme, and at 480 px width;
- keyboard only: Tab reaches the grid, the arrow keys reach every cell, each announces its
  details (`aria-label`, also shown as a tooltip), Enter opens the student's timeline.

Students are simulated through the real API (tests/browser/test_dashboard_e2e.py's identity
provider: `token student:<name>`). Every wait is on something the page shows.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from jupyter_server.auth.identity import IdentityProvider, User
from playwright.sync_api import expect

from tests.browser.test_dashboard_e2e import (
    ARTIFACTS,
    REPO,
    HubStyleUser,
    LabServer,
    _open_lab,
    _start_lab,
)
from tests.chromium import new_context

pytestmark = pytest.mark.browser

AXE = REPO / "labextension" / "node_modules" / "axe-core" / "axe.min.js"
NOTEBOOK = "course/lab1.ipynb"
CELLS = [f"q{i}" for i in range(6)]
COMMAND = "progress-tracker:open-dashboard"
# Real ids with a first name before the dot; neither part can appear on screen by chance.
STUDENTS = [f"stu{i:02d}x.fam{i:02d}y" for i in range(40)]
REAL = re.compile(r"stu\d\dx|fam\d\dy")
FAMILY = re.compile(r"fam\d\dy")


class CourseIdentityProvider(IdentityProvider):
    """The owner (the instructor of the course "default") logs in as usual; `Authorization:
    token student:<name>` is the hub student <name> of that course, so the runs of the
    published assignment are the assignment's."""

    async def get_user(self, handler: Any) -> User | None:
        header = handler.request.headers.get("Authorization", "")
        token = header.removeprefix("token ").strip()
        if token.startswith("student:") and len(token) > len("student:"):
            handler._token_authenticated = True  # token requests need no XSRF token
            name = token.removeprefix("student:")
            return HubStyleUser(
                username=name, hub_user={"name": name, "groups": ["default-students"]}
            )
        return await super().get_user(handler)


@pytest.fixture
def classroom(tmp_path, built_labextension) -> Iterator[LabServer]:
    """A lab server whose owner is the instructor, where tests may act as any student."""
    yield from _start_lab(tmp_path, built_labextension, "test_classroom_e2e.CourseIdentityProvider")


def publish(server: LabServer) -> str:
    """Publish lab 1 (six code cells) in the course "default"; its assignment id."""
    cells = [
        {
            "cellId": cell,
            "gradeId": None,
            "cellType": "code",
            "label": f"Question {i + 1}",
            "source": f"answer_{i}()",
        }
        for i, cell in enumerate(CELLS)
    ]
    body = {
        "course": "default",
        "title": "Lab 1",
        "path": NOTEBOOK,
        "assignmentId": None,
        "cells": cells,
    }
    status, answer = server.api("POST", "api/v1/assignments", body)
    assert status in (200, 201), answer
    return str(answer["assignmentId"])


def run(assignment: str, cell: int, at: datetime, error: str | None = None) -> dict[str, Any]:
    return {
        "eventId": f"cls-{uuid.uuid4().hex}",
        "eventType": "cell_executed",
        "eventTime": at.isoformat(),
        "notebookPath": NOTEBOOK,
        "assignmentId": assignment,
        "cellId": CELLS[cell],
        "cellIndex": cell,
        "cellType": "code",
        "code": f"answer_{cell}()",
        "executionCount": cell + 1,
        "hasError": error is not None,
        "errorMessage": error,
        "executionDurationMs": 10,
    }


def seed_class(server: LabServer, assignment: str, start: datetime) -> None:
    """40 students, from `start` on: student i completes 1 + i % 6 cells, a cell every 4
    minutes; every fifth one is stuck on their next cell (four KeyErrors); one interrupted a
    run."""
    minute = timedelta(minutes=1)
    for i, student in enumerate(STUDENTS):
        done = completed(i)
        events = [run(assignment, c, start + (4 * c + i % 3) * minute) for c in range(done)]
        if i % 5 == 0 and done < len(CELLS):
            events += [
                run(assignment, done, start + (4 * done + k) * minute, "KeyError: 'price'")
                for k in range(4)
            ]
        if i == 3:
            events.append(run(assignment, 5, start + 30 * minute, "KeyboardInterrupt: "))
        if events:
            server.post_events(student, events)


def completed(i: int) -> int:
    """How many cells student i completes."""
    return 1 + i % 6


def open_dashboard(context: Any, server: LabServer, assignment: str) -> Any:
    """Open the dashboard on the assignment; return the page once its grid is live."""
    page = _open_lab(context, server)
    page.wait_for_function(f"() => window.jupyterapp.commands.hasCommand('{COMMAND}')")
    page.evaluate(f"() => window.jupyterapp.commands.execute('{COMMAND}')")
    page.wait_for_selector(".pt-status[data-status='live']")
    key = f"assignment:{assignment}"
    page.wait_for_selector(f".pt-notebook-select option[value='{key}']", state="attached")
    if page.input_value(".pt-notebook-select") != key:
        page.select_option(".pt-notebook-select", key)
    expect(page.locator(".pt-grid-colhead:not(.pt-grid-ownhead)")).to_have_count(len(CELLS))
    expect(page.locator(".pt-summary")).to_contain_text("40 students")
    return page


def completion(page: Any) -> list[int]:
    """The completion bars' percentages, per column."""
    return page.eval_on_selector_all(
        ".pt-completion", "bars => bars.map(b => Number(b.dataset.percent))"
    )


def wait_completion(page: Any, expected: list[int]) -> None:
    """Wait until the completion bars show `expected`; fail with what they show."""
    from playwright.sync_api import TimeoutError as PageTimeout

    try:
        page.wait_for_function(
            """(expected) => JSON.stringify([...document.querySelectorAll('.pt-completion')]
                .map(b => Number(b.dataset.percent))) === JSON.stringify(expected)""",
            arg=expected,
        )
    except PageTimeout:
        raise AssertionError(f"completion {completion(page)}, expected {expected}") from None


def expected_completion(until_minute: float | None) -> list[int]:
    """The share of the 40 students whose latest run of each cell succeeded by then."""
    shares = []
    for c in range(len(CELLS)):
        succeeded = 0
        for i in range(len(STUDENTS)):
            ran_at = 4 * c + i % 3
            if c < completed(i) and (until_minute is None or ran_at <= until_minute):
                succeeded += 1
        shares.append(math.floor(100 * succeeded / len(STUDENTS) + 0.5))  # as Math.round
    return shares


def local_input(at: datetime) -> str:
    """A `datetime-local` value (the browser runs in UTC)."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def visible_text(page: Any) -> str:
    """Everything the dashboard shows or announces: text, titles, labels, the tooltip."""
    return page.evaluate(
        """() => {
            const root = document.querySelector('.pt-dashboard');
            const parts = [root.innerText];
            for (const node of root.querySelectorAll('*')) {
                for (const name of ['title', 'aria-label', 'aria-valuetext']) {
                    const value = node.getAttribute(name);
                    if (value) parts.push(value);
                }
            }
            const described = root.querySelectorAll('[aria-describedby]');
            for (const node of described) {
                const target = document.getElementById(node.getAttribute('aria-describedby'));
                if (target) parts.push(target.textContent);
            }
            const tip = document.querySelector('.pt-tooltip');
            if (tip) parts.push(tip.textContent);
            return parts.join('\\n');
        }"""
    )


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations in the dashboard."""
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const result = await window.axe.run(document.querySelector('.pt-dashboard'), {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                resultTypes: ['violations'],
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => ({target: n.target, summary: n.failureSummary})),
            }));
        }"""
    )


def assert_accessible(page: Any, view: str) -> None:
    violations = axe_violations(page)
    ARTIFACTS.mkdir(exist_ok=True)
    if violations:
        (ARTIFACTS / f"axe-{view}.json").write_text(json.dumps(violations, indent=1))
    assert violations == [], f"{view}: {json.dumps(violations, indent=1)}"


@pytest.fixture
def class_today(classroom: LabServer) -> tuple[LabServer, str, datetime]:
    """The server, the assignment, and when its class started (an hour ago)."""
    assignment = publish(classroom)
    start = (datetime.now(UTC) - timedelta(minutes=60)).replace(second=0, microsecond=0)
    seed_class(classroom, assignment, start)
    return classroom, assignment, start


def test_the_time_window_and_playback_change_the_grid(chromium: Any, class_today: Any) -> None:
    server, assignment, start = class_today
    context = new_context(chromium, viewport={"width": 1500, "height": 1000}, timezone_id="UTC")
    try:
        page = open_dashboard(context, server, assignment)
        page.select_option(".pt-order-select", "name")
        live = expected_completion(None)
        wait_completion(page, live)

        # A custom window over the first ten minutes of the class: the grid as it was then.
        page.select_option(".pt-window-select", "custom")
        page.fill(".pt-window-since", local_input(start - timedelta(minutes=1)))
        page.fill(".pt-window-until", local_input(start + timedelta(minutes=10)))
        page.locator(".pt-window-until").dispatch_event("change")
        expect(page.locator(".pt-playback")).to_be_visible()
        early = expected_completion(9.999)
        wait_completion(page, early)
        assert early != live
        row = page.locator(".pt-grid-row[data-user='stu11x.fam11y']")
        expect(row.locator(".pt-grid-cell").nth(3)).to_have_attribute("data-status", "not-run")

        # Playback: the slider at its start shows the class at its first run.
        page.locator(".pt-playback-slider").fill("0")
        wait_completion(page, expected_completion(0))
        expect(page.locator(".pt-playback-time")).not_to_be_empty()
        # ... and at its end the whole window again.
        page.locator(".pt-playback-slider").fill("200")
        wait_completion(page, early)

        # The last 10 minutes hold no run (the class ended 20 minutes ago): nothing completed.
        page.select_option(".pt-window-select", "last10")
        wait_completion(page, [0] * len(CELLS))
        expect(page.locator(".pt-playback-summary")).to_contain_text("0 runs")

        # Everything: the live grid again.
        page.select_option(".pt-window-select", "all")
        wait_completion(page, live)
        expect(page.locator(".pt-playback")).to_be_hidden()
        expect(row.locator(".pt-grid-cell").nth(3)).to_have_attribute("data-status", "succeeded")
        page.screenshot(path=str(ARTIFACTS / "classroom-window.png"))
    finally:
        context.close()


def test_projector_mode_hides_real_names_everywhere(chromium: Any, class_today: Any) -> None:
    server, assignment, _ = class_today
    context = new_context(chromium, viewport={"width": 1500, "height": 1000}, timezone_id="UTC")
    try:
        page = open_dashboard(context, server, assignment)
        # Real names to begin with, in the grid and the help list.
        expect(page.locator(".pt-help-item").first).to_be_visible()
        assert REAL.search(visible_text(page))

        page.select_option(".pt-names-select", "pseudonyms")
        # Every view that names a student: grid rows, help list, a tooltip, a timeline, errors.
        page.locator(".pt-help-item .pt-help-user").first.click()
        expect(page.locator(".pt-timeline .pt-timeline-item").first).to_be_visible()
        page.locator(".pt-grid-row .pt-grid-cell").first.hover()
        expect(page.locator(".pt-tooltip")).to_be_visible()
        expect(page.locator(".pt-errors")).to_contain_text("for example")
        text = visible_text(page)
        assert not REAL.search(text), REAL.findall(text)[:5]
        assert re.search(r"[A-Z][a-z]+ [A-Z][a-z]+", text)
        page.screenshot(path=str(ARTIFACTS / "classroom-projector.png"))

        # Remembered after a reload.
        page.reload()
        page = context.pages[0]
        page.wait_for_function(f"() => window.jupyterapp.commands.hasCommand('{COMMAND}')")
        if page.locator(".pt-dashboard").count() == 0:
            page.evaluate(f"() => window.jupyterapp.commands.execute('{COMMAND}')")
        expect(page.locator(".pt-names-select")).to_have_value("pseudonyms")

        # First names only: the part before the dot, never the family name.
        page.select_option(".pt-names-select", "first-names")
        expect(page.locator(".pt-grid-row .pt-grid-name").first).to_have_text(
            re.compile(r"^stu\d\dx$")
        )
        text = visible_text(page)
        assert not FAMILY.search(text), FAMILY.findall(text)[:5]
    finally:
        context.close()


def test_axe_finds_no_violation_on_any_view(chromium: Any, class_today: Any) -> None:
    server, assignment, _ = class_today
    context = new_context(chromium, viewport={"width": 1500, "height": 1000}, timezone_id="UTC")
    try:
        page = open_dashboard(context, server, assignment)
        expect(page.locator(".pt-help-item").first).to_be_visible()
        expect(page.locator(".pt-errors")).to_contain_text("KeyError")
        assert_accessible(page, "grid-help-errors")

        page.locator(".pt-grid-row .pt-grid-name").first.click()
        expect(page.locator(".pt-timeline .pt-timeline-item").first).to_be_visible()
        assert_accessible(page, "timeline")

        page.select_option(".pt-window-select", "class")
        expect(page.locator(".pt-playback")).to_be_visible()
        assert_accessible(page, "playback")

        page.select_option(".pt-names-select", "pseudonyms")
        assert_accessible(page, "projector")

        page.evaluate(
            "() => window.jupyterapp.commands.execute('apputils:change-theme',"
            " {theme: 'JupyterLab Dark'})"
        )
        page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", polling=200)
        expect(page.locator(".pt-grid-row").first).to_be_visible()
        assert_accessible(page, "dark")

        # 480 px wide (as a 960 px window at 200 % zoom), the file browser closed.
        if page.locator("#jp-left-stack:visible").count():
            page.evaluate(
                "() => window.jupyterapp.commands.execute('application:toggle-left-area')"
            )
            expect(page.locator("#jp-left-stack")).to_be_hidden()
        page.set_viewport_size({"width": 480, "height": 900})
        expect(page.locator(".pt-grid-row").first).to_be_visible()
        assert_accessible(page, "narrow-dark")
        page.screenshot(path=str(ARTIFACTS / "classroom-480-dark.png"))
        # Nothing but the grid's own scroller is wider than the page.
        wider = page.evaluate(
            """() => {
                const root = document.querySelector('.pt-dashboard');
                const edge = root.getBoundingClientRect().right + 1;
                return [...root.querySelectorAll('*')]
                    .filter(n => n.getBoundingClientRect().right > edge)
                    .filter(n => !n.closest('.pt-grid-viewport, canvas'))
                    .map(n => `${n.className || n.tagName}:${Math.round(n.getBoundingClientRect().right)}/${Math.round(edge)}`);
            }"""
        )
        assert wider == [], wider
    finally:
        context.close()


def test_keyboard_alone_reaches_every_cells_details(chromium: Any, class_today: Any) -> None:
    server, assignment, _ = class_today
    context = new_context(chromium, viewport={"width": 1500, "height": 1000}, timezone_id="UTC")
    try:
        page = open_dashboard(context, server, assignment)
        page.select_option(".pt-order-select", "name")
        page.locator(".pt-order-select").focus()
        # Tab from the toolbar into the grid: one stop, a header or a cell.
        for _ in range(120):
            page.keyboard.press("Tab")
            if page.evaluate("() => !!document.activeElement.closest('.pt-grid-viewport')"):
                break
        else:
            raise AssertionError("Tab never reached the grid")
        page.keyboard.press("Control+Home")
        active = """() => {
            const a = document.activeElement;
            return {row: a.dataset.row, col: a.dataset.col, role: a.getAttribute('role'),
                    label: a.getAttribute('aria-label') || a.textContent,
                    user: a.closest('.pt-grid-row')?.dataset.user};
        }"""
        assert page.evaluate(active)["role"] == "rowheader"
        seen = set()
        for r, student in enumerate(sorted(STUDENTS)):
            page.keyboard.press("Home")
            for c in range(len(CELLS)):
                page.keyboard.press("ArrowRight")
                focused = page.evaluate(active)
                assert (focused["row"], focused["col"]) == (str(r), str(c + 1)), focused
                assert focused["role"] == "gridcell" and focused["user"] == student
                # The details: who, which cell, the status and, once run, attempts.
                assert focused["label"].startswith(f"{student} · cell"), focused
                assert re.search(r"not run|succeeded|failed|interrupted", focused["label"])
                seen.add((student, CELLS[c]))
            if r < len(STUDENTS) - 1:
                page.keyboard.press("ArrowDown")
        assert len(seen) == len(STUDENTS) * len(CELLS)
        expect(page.locator(".pt-tooltip")).to_be_visible()

        # Enter on a cell opens that student's timeline.
        page.keyboard.press("Enter")
        expect(page.locator(".pt-timeline")).to_contain_text(max(STUDENTS))
    finally:
        context.close()
