"""Accessibility of the views that open from the grid, and of the dashboard at 200 % zoom, end
to end: the simulated class of 40 students of tests/browser/test_classroom_e2e.py on a real
`jupyter lab`, Debian's Chromium and axe-core.

What is checked (WCAG 2.1 A/AA, zero axe-core violations, in light and dark theme):
- the drill-down open on a column: the students' list, an attempt with its read-only editor
  and the signal definitions;
- the drill-down opened from an error group: the students who have that error now;
- the help queue holding raised hands, one waiting (Claim and Resolve) and one claimed;
- 200 % zoom of a 1280x800 window (640x400 CSS pixels at device scale factor 2): nothing of
  the dashboard is wider than the page but the grid's own scroller, every toolbar control can
  be reached and used, and axe-core passes.

Students raise hands through the real API (`help` events, as their JupyterLab sends them);
the instructor claims one through the API, as the Claim button does.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_classroom_e2e import (  # noqa: F401  (fixtures)
    ARTIFACTS,
    CELLS,
    NOTEBOOK,
    STUDENTS,
    LabServer,
    assert_accessible,
    class_today,
    classroom,
    completed,
    open_dashboard,
)
from tests.chromium import new_context

pytestmark = pytest.mark.browser

WAITING = STUDENTS[7]  # raises a hand and waits
CLAIMED = STUDENTS[12]  # raises a hand the instructor claims
KEY_ERROR = "KeyError: 'price'"
# Who ran q1: everyone who completed it, and the two stuck on it (students 0 and 30).
RAN_Q1 = sum(1 for i in range(len(STUDENTS)) if completed(i) > 1 or i % 30 == 0)


def raise_hand(server: LabServer, assignment: str, student: str, message: str) -> None:
    """A student raises a hand on cell q2, as their JupyterLab's "Raise hand" does."""
    hand = {
        "eventId": f"a11y-{uuid.uuid4().hex}",
        "eventType": "help",
        "eventTime": datetime.now(UTC).isoformat(),
        "notebookPath": NOTEBOOK,
        "assignmentId": assignment,
        "cellId": CELLS[2],
        "message": message,
    }
    server.post_events(student, [hand])


def claim(server: LabServer, student: str) -> None:
    """The instructor claims `student`'s hand."""
    status, body = server.api("GET", "api/v1/help")
    assert status == 200, body
    [entry] = [e for e in body["entries"] if e["student"] == student]
    status, body = server.api("POST", f"api/v1/help/{entry['id']}/claim", {})
    assert status == 200, body


def dark_theme(page: Any) -> None:
    """Switch JupyterLab to its dark theme and wait until it applies."""
    page.evaluate(
        "() => window.jupyterapp.commands.execute('apputils:change-theme',"
        " {theme: 'JupyterLab Dark'})"
    )
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", polling=200)


def light_theme(page: Any) -> None:
    """Switch JupyterLab back to its light theme and wait until it applies."""
    page.evaluate(
        "() => window.jupyterapp.commands.execute('apputils:change-theme',"
        " {theme: 'JupyterLab Light'})"
    )
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'true'", polling=200)


# The contrast of every text of the dashboard (but code, which JupyterLab's editor themes),
# computed here too: axe-core counts most text inside JupyterLab's strictly contained panels as
# off screen and leaves it unchecked.
LOW_CONTRAST_TEXT = """() => {
    const rgba = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
        .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const background = (node) => {
        for (let n = node; n; n = n.parentElement) {
            const c = rgba(getComputedStyle(n).backgroundColor);
            if (c.length === 3 || c[3] === 1) return c.slice(0, 3);
        }
        return [255, 255, 255];
    };
    return [...document.querySelectorAll('.pt-dashboard *')]
        .filter(n => n.getClientRects().length > 0 && !n.closest('.cm-editor'))
        .filter(n => [...n.childNodes].some(c => c.nodeType === 3 && c.textContent.trim())).map(node => {
        const back = background(node);
        const c = rgba(getComputedStyle(node).color);
        const alpha = c.length > 3 ? c[3] : 1;
        const fore = c.slice(0, 3).map((v, i) => v * alpha + back[i] * (1 - alpha));
        const [hi, lo] = [lum(fore), lum(back)].sort((x, y) => y - x);
        return {badge: node.className || node.tagName, ratio: (hi + 0.05) / (lo + 0.05)};
    }).filter(b => b.ratio < 4.5).map(b => `${b.badge}: ${b.ratio.toFixed(2)}`);
}"""


def check_drilldowns(page: Any, theme: str) -> None:
    """axe-core over the drill-down of a column (list, attempt, editor, signals) and of an
    error group (its students)."""
    drill = page.locator(".pt-drill")
    page.locator(f".pt-grid-colhead[data-cell-id='{CELLS[1]}']").click()
    expect(drill).to_be_visible()
    expect(page.locator(".pt-drill-option")).to_have_count(RAN_Q1)
    details = page.locator(".pt-drill-details")
    expect(details.locator(".cm-editor .cm-content")).to_be_visible()
    expect(details.locator("dt[data-signal='errorQuotient']")).to_be_visible()
    assert_accessible(page, f"drilldown-column-{theme}")
    low = sorted(set(page.evaluate(LOW_CONTRAST_TEXT)))
    assert low == [], low

    # A student who failed: the error shown with the attempt.
    page.select_option(".pt-drill-controls select >> nth=0", "failed")
    expect(details).to_contain_text(KEY_ERROR)
    assert_accessible(page, f"drilldown-failed-{theme}")
    page.keyboard.press("Escape")
    expect(drill).to_be_hidden()

    group = page.locator(".pt-errors-group", has_text=KEY_ERROR).first
    if not group.evaluate("details => details.open"):  # still open from the light theme's turn
        group.locator("summary").click()
    expect(group).to_have_attribute("open", "")
    group.locator(".pt-errors-open").click()
    expect(drill).to_be_visible()
    expect(page.locator(".pt-drill-group .pt-drill-student").first).to_be_visible()
    expect(details.locator(".cm-editor .cm-content")).to_be_visible()
    assert_accessible(page, f"drilldown-group-{theme}")
    page.keyboard.press("Escape")
    expect(drill).to_be_hidden()


def test_axe_finds_no_violation_in_the_drill_down_and_the_help_queue(
    chromium: Any,
    class_today: tuple[LabServer, str, datetime],  # noqa: F811
) -> None:
    server, assignment, _ = class_today
    raise_hand(server, assignment, WAITING, "my loop never ends")
    raise_hand(server, assignment, CLAIMED, "")
    claim(server, CLAIMED)
    context = new_context(chromium, viewport={"width": 1500, "height": 1000}, timezone_id="UTC")
    try:
        page = open_dashboard(context, server, assignment)
        waiting = page.locator(f".pt-help-raised[data-user='{WAITING}']")
        claimed = page.locator(f".pt-help-raised[data-user='{CLAIMED}']")
        for theme in ("light", "dark"):
            if theme == "dark":
                dark_theme(page)
            expect(waiting).to_have_attribute("data-state", "waiting")
            expect(waiting.locator(".pt-help-claim")).to_be_visible()
            expect(claimed).to_have_attribute("data-state", "claimed")
            expect(claimed.locator(".pt-help-resolve")).to_be_visible()
            expect(page.locator(".pt-help-item:not(.pt-help-raised)").first).to_be_visible()
            assert_accessible(page, f"help-queue-{theme}")
            low = sorted(set(page.evaluate(LOW_CONTRAST_TEXT)))
            assert low == [], low
            check_drilldowns(page, theme)
            page.screenshot(path=str(ARTIFACTS / f"a11y-help-{theme}.png"))
        light_theme(page)
    finally:
        context.close()


# Every control of the dashboard's toolbar a user may need (the name selects of projector mode,
# the row order, the time window, export...).
TOOLBAR_CONTROLS = ".pt-toolbar select, .pt-toolbar button, .pt-toolbar input"

WIDER_THAN_THE_PAGE = """() => {
    const root = document.querySelector('.pt-dashboard');
    const edge = Math.min(root.getBoundingClientRect().right, window.innerWidth) + 1;
    return [...root.querySelectorAll('*')]
        .filter(n => n.getClientRects().length > 0)
        .filter(n => n.getBoundingClientRect().right > edge)
        .filter(n => !n.closest('.pt-grid-viewport, canvas'))
        .map(n => `${n.className || n.tagName}:${Math.round(n.getBoundingClientRect().right)}`
            + `/${Math.round(edge)}`);
}"""

# Boxes whose content is wider than they are (cut off, or scrolled sideways), but the grid's own
# scroller and code, whose lines keep their layout (WCAG 1.4.10 excepts them).
CUT_SIDEWAYS = """() => [...document.querySelectorAll('.pt-dashboard *')]
    .filter(n => n.getClientRects().length > 0 && n.scrollWidth > n.clientWidth + 1)
    .filter(n => getComputedStyle(n).overflowX !== 'visible')
    .filter(n => !n.closest('.pt-grid-viewport, .pt-drill-code, pre, canvas'))
    .map(n => `${n.className || n.tagName}:${n.scrollWidth}/${n.clientWidth}`)"""

# Whether a control, scrolled into view, is the element at its own centre (nothing covers it).
ON_TOP = """(node) => {
    const box = node.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const hit = document.elementFromPoint(x, y);
    return x >= 0 && x <= window.innerWidth && y >= 0 && y <= window.innerHeight
        && !!hit && (hit === node || node.contains(hit));
}"""


def test_the_dashboard_is_usable_at_200_percent_zoom(
    chromium: Any,
    class_today: tuple[LabServer, str, datetime],  # noqa: F811
) -> None:
    server, assignment, _ = class_today
    raise_hand(server, assignment, WAITING, "my loop never ends")
    # A 1280x800 window at 200 % zoom: 640x400 CSS pixels, each drawn with 2x2 device pixels.
    context = new_context(
        chromium,
        viewport={"width": 640, "height": 400},
        device_scale_factor=2,
        timezone_id="UTC",
    )
    try:
        page = open_dashboard(context, server, assignment)
        assert page.evaluate("() => window.devicePixelRatio") == 2
        if page.locator("#jp-left-stack:visible").count():
            page.evaluate(
                "() => window.jupyterapp.commands.execute('application:toggle-left-area')"
            )
            expect(page.locator("#jp-left-stack")).to_be_hidden()
        expect(page.locator(".pt-help-raised").first).to_be_visible()
        for theme in ("light", "dark"):
            if theme == "dark":
                dark_theme(page)
            expect(page.locator(".pt-grid-row").first).to_be_visible()
            wider = page.evaluate(WIDER_THAN_THE_PAGE)
            assert wider == [], wider
            cut = page.evaluate(CUT_SIDEWAYS)
            assert cut == [], cut
            low = sorted(set(page.evaluate(LOW_CONTRAST_TEXT)))
            assert low == [], low
            assert_accessible(page, f"zoom-200-{theme}")
            page.screenshot(path=str(ARTIFACTS / f"a11y-zoom-200-{theme}.png"))

        # Every toolbar control can be scrolled to and is not covered by anything.
        controls = page.locator(TOOLBAR_CONTROLS)
        assert controls.count() > 0
        for i in range(controls.count()):
            control = controls.nth(i)
            if not control.is_visible():
                continue  # e.g. the custom window's inputs while another window is chosen
            control.scroll_into_view_if_needed()
            assert control.evaluate(ON_TOP), control.evaluate("n => n.outerHTML.slice(0, 120)")

        # ... and used: the row order by name, and the grid follows.
        page.select_option(".pt-order-select", "name")
        expect(page.locator(".pt-grid-row").first).to_have_attribute("data-user", min(STUDENTS))

        # The drill-down too: it fits the page and passes axe-core.
        page.locator(f".pt-grid-colhead[data-cell-id='{CELLS[1]}']").click()
        expect(page.locator(".pt-drill-option")).to_have_count(RAN_Q1)
        wider = page.evaluate(WIDER_THAN_THE_PAGE)
        assert wider == [], wider
        cut = page.evaluate(CUT_SIDEWAYS)
        assert cut == [], cut
        assert_accessible(page, "zoom-200-drilldown")
        page.screenshot(path=str(ARTIFACTS / "a11y-zoom-200-drilldown.png"))
    finally:
        context.close()
