"""Debian's Chromium as the browser tests drive it (never a browser downloaded by Playwright)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
# As root on a closed network: no sandbox, no GPU, and none of Chromium's own network chatter.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# How long a page action or expectation may wait for its condition. Generous: on a loaded 2-core
# machine JupyterLab can take tens of seconds to load, and a wait only lasts this long when
# something is wrong.
PAGE_DEADLINE_MS = 120_000


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless, with the deadlines of every wait set to PAGE_DEADLINE_MS."""
    from playwright.sync_api import expect

    expect.set_options(timeout=PAGE_DEADLINE_MS)
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )


def new_context(browser: Any, **options: Any) -> Any:
    """A fresh browser profile whose actions and navigations wait up to PAGE_DEADLINE_MS."""
    context = browser.new_context(**options)
    context.set_default_timeout(PAGE_DEADLINE_MS)
    context.set_default_navigation_timeout(PAGE_DEADLINE_MS)
    return context
