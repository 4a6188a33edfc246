"""HTTP and WebSocket handlers of the tracker's API."""

from __future__ import annotations

from typing import Any

from .dashboard import (
    ErrorsHandler,
    ExecutionsHandler,
    ExportHandler,
    HealthHandler,
    MeHandler,
    PaceHandler,
    ProgressHandler,
    SettingsHandler,
)
from .deadletters import DeadLettersHandler
from .events import EventsHandler
from .live import LiveSocketHandler

API = "api/v1"


def handler_routes(tracker: Any) -> list[tuple[str, type, dict[str, Any]]]:
    """The (pattern, handler, kwargs) routes of the API, relative to base_url."""
    kwargs = {"tracker": tracker}
    if tracker.mode == "forwarder":
        from .relay import relay_routes

        local = [
            (f"{API}/events", EventsHandler, kwargs),
            (f"{API}/settings", SettingsHandler, kwargs),
        ]
        return local + relay_routes(tracker, API)
    return [
        (f"{API}/events", EventsHandler, kwargs),
        (f"{API}/me", MeHandler, kwargs),
        (f"{API}/settings", SettingsHandler, kwargs),
        (f"{API}/progress", ProgressHandler, kwargs),
        (f"{API}/executions", ExecutionsHandler, kwargs),
        (f"{API}/errors", ErrorsHandler, kwargs),
        (f"{API}/pace", PaceHandler, kwargs),
        (f"{API}/export.csv", ExportHandler, kwargs),
        (f"{API}/health", HealthHandler, kwargs),
        (f"{API}/deadletters", DeadLettersHandler, kwargs),
        (f"{API}/ws", LiveSocketHandler, kwargs),
    ]
