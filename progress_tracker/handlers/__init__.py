"""The HTTP and WebSocket surface of the tracker (nothing below this folder imports it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .client import MeHandler, SettingsHandler
from .events import EventsHandler

if TYPE_CHECKING:
    from ..runtime import Runtime

API = "api/v1"
# An assignment id in a route: any path segment (one that is no id answers a JSON 404).
ASSIGNMENT_ID = r"([^/]+)"

Route = tuple[str, type, dict[str, Any]]


def handler_routes(runtime: Runtime) -> list[Route]:
    """The (pattern, handler, kwargs) routes of this mode's API, relative to base_url."""
    kwargs = {"runtime": runtime}
    events = (f"{API}/events", EventsHandler, kwargs)
    settings = (f"{API}/settings", SettingsHandler, kwargs)
    if runtime.mode == "forwarder":
        from .relay import relay_routes  # a user server relays the dashboard; it stores nothing
        from .relay_write import relay_write_routes

        return [events, settings, *relay_routes(runtime, API), *relay_write_routes(runtime, API)]
    from .assignments import AssignmentHandler, AssignmentsHandler, CoursesHandler
    from .cells import CellLatestHandler
    from .consent import ConsentCountsHandler, ConsentCoursesHandler, ConsentHandler
    from .dashboard import ErrorsHandler, ExecutionsHandler, PaceHandler, ProgressHandler
    from .deadletters import DeadLettersHandler
    from .export import ExportHandler
    from .governance import AuditHandler, ProgSnap2Handler, SubjectHandler
    from .health import HealthHandler
    from .help import help_routes
    from .replay import ReplayHandler
    from .socket import LiveSocketHandler

    return [
        events,
        (f"{API}/me", MeHandler, kwargs),
        settings,
        (f"{API}/progress", ProgressHandler, kwargs),
        (f"{API}/executions", ExecutionsHandler, kwargs),
        (f"{API}/errors", ErrorsHandler, kwargs),
        (f"{API}/pace", PaceHandler, kwargs),
        (f"{API}/export.csv", ExportHandler, kwargs),
        (f"{API}/assignments", AssignmentsHandler, kwargs),
        (f"{API}/assignments/{ASSIGNMENT_ID}", AssignmentHandler, kwargs),
        (f"{API}/courses", CoursesHandler, kwargs),
        (f"{API}/health", HealthHandler, kwargs),
        (f"{API}/deadletters", DeadLettersHandler, kwargs),
        (f"{API}/ws", LiveSocketHandler, kwargs),
        (f"{API}/consent", ConsentHandler, kwargs),
        (f"{API}/consent/counts", ConsentCountsHandler, kwargs),
        (f"{API}/audit", AuditHandler, kwargs),
        (f"{API}/subject", SubjectHandler, kwargs),
        (f"{API}/progsnap2.zip", ProgSnap2Handler, kwargs),
        (f"{API}/consent/courses", ConsentCoursesHandler, kwargs),
        *help_routes(runtime, API),
        (f"{API}/cells/latest", CellLatestHandler, kwargs),
        (f"{API}/replay", ReplayHandler, kwargs),
    ]
