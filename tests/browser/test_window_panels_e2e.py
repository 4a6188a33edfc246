"""The time window bounds the whole view, end to end: the errors panel and a student's timeline
ask the server within it and say so in their headings; "everything" restores them.

The class of tests/browser/test_classroom_e2e.py (40 students on a published assignment, an
hour ago): in its first five minutes only cell q1 raised errors (five cells did by the end),
and student 0 ran twice (five times by the end).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import test_classroom_e2e as classroom_e2e
from tests.browser.test_classroom_e2e import local_input, open_dashboard
from tests.chromium import new_context

pytestmark = pytest.mark.browser

# The class's fixtures, shared with tests/browser/test_classroom_e2e.py.
classroom = classroom_e2e.classroom
class_today = classroom_e2e.class_today

STUDENT = "stu00x.fam00y"  # the first row by name


def test_the_window_bounds_the_errors_and_the_timeline(chromium: Any, class_today: Any) -> None:
    server, assignment, start = class_today
    context = new_context(chromium, viewport={"width": 1500, "height": 1000}, timezone_id="UTC")
    try:
        page = open_dashboard(context, server, assignment)
        page.select_option(".pt-order-select", "name")
        errors = page.locator(".pt-section", has=page.locator(".pt-errors"))
        heading = errors.locator("h2")
        timeline = page.locator(".pt-timeline")
        expect(heading).to_have_text("Errors by cell")
        expect(errors.locator(".pt-errors-cell")).to_have_count(5)
        page.locator(f".pt-grid-name[data-user='{STUDENT}']").click()
        expect(timeline.locator(".pt-timeline-item")).to_have_count(5)

        # The first five minutes of the class: what was raised and run then, and the heading says so.
        since, until = start - timedelta(minutes=1), start + timedelta(minutes=5)
        page.select_option(".pt-window-select", "custom")
        page.fill(".pt-window-since", local_input(since))
        page.fill(".pt-window-until", local_input(until))
        page.locator(".pt-window-until").dispatch_event("change")
        window = f"from {since:%H:%M} to {until:%H:%M}"
        expect(heading).to_have_text(f"Errors {window}")
        expect(errors.locator(".pt-errors-cell")).to_have_count(1)
        expect(errors.locator(".pt-errors-group")).to_contain_text(["KeyError: 'price'"])
        expect(timeline.locator("h2")).to_have_text(f"Timeline of {STUDENT} {window}")
        expect(timeline.locator(".pt-timeline-item")).to_have_count(2)

        # The last 10 minutes (the class ended 20 minutes ago): nothing in them.
        page.select_option(".pt-window-select", "last10")
        expect(errors).to_contain_text("No errors in this time window.")
        expect(timeline).to_contain_text("No runs in this time window.")
        expect(heading).to_contain_text("Errors since")

        # Everything: both panels as they were.
        page.select_option(".pt-window-select", "all")
        expect(heading).to_have_text("Errors by cell")
        expect(errors.locator(".pt-errors-cell")).to_have_count(5)
        expect(timeline.locator("h2")).to_have_text(f"Timeline of {STUDENT}")
        expect(timeline.locator(".pt-timeline-item")).to_have_count(5)
    finally:
        context.close()
