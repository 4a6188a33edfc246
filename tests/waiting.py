"""Waiting on observable conditions (a stored row, a server that answers), with generous deadlines.

A test never sleeps a fixed time to let something happen: it polls what it can observe until it
holds. The deadlines are long because the tests must pass on a loaded 2-core machine; they only
cost time when something is wrong.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# How long a server may take to start or a stored row to appear.
SERVICE_DEADLINE_S = 120.0


def wait_until(
    probe: Callable[[], T],
    what: str,
    timeout: float = SERVICE_DEADLINE_S,
    interval: float = 0.2,
    pause: Callable[[float], None] = time.sleep,
) -> T:
    """Poll `probe` until it returns something truthy, and return that; fail after `timeout` s.

    `pause(seconds)` waits between polls: `time.sleep`, or `page_pause(page)` while a page is open.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        pause(interval)


def page_pause(page: Any) -> Callable[[float], None]:
    """A pause that keeps Playwright's event loop running.

    Playwright's sync API runs route and event handlers (`context.route`, `page.on`) only while
    the test is inside one of its calls: a test that waited in `time.sleep` would leave the
    browser's intercepted requests hanging for as long as it waits.
    """
    return lambda seconds: page.wait_for_timeout(seconds * 1000)
