"""What every tracker handler shares: the runtime, the caller, JSON replies and errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import APIHandler
from tornado import web

from ..access import AUTH_RESOURCE
from ..access.identity import Caller
from ..courses import COURSE_ID
from ..courses.scope import Scope
from ..errors import BadRequest, Forbidden, TrackerError
from ..events.bounds import EARLIEST_EVENT_TIME
from ..runtime import Runtime

# Later than any stored event (they are clamped to their receive time).
LATEST_QUERY_TIME = datetime(9000, 1, 1, tzinfo=UTC)
INSTRUCTORS_ONLY = "Only instructors may use the progress dashboard."
ADMINS_ONLY = "Only administrators of the progress tracker may do this."

# What a handler's data is limited to (tests/server/test_scope_routes.py checks every route):
# "scope" = the caller's courses and sections; "admin" = administrators only; "staff" = any
# instructor or TA (no student data); "caller" = only the caller's own data.
ACCESS_LEVELS = ("scope", "admin", "staff", "caller")


async def require_authorized(handler: Any, action: str = "read") -> None:
    """403 unless the server's authorizer allows `action` on the tracker (a WebSocket's check).

    An authorizer may answer with a coroutine, which is always truthy: await it.
    """
    allowed = await ensure_async(
        handler.authorizer.is_authorized(handler, handler.current_user, action, AUTH_RESOURCE)
    )
    if not allowed:
        raise web.HTTPError(403)


AUTHENTICATE = (
    "Authenticate first: send a Jupyter or JupyterHub token (header 'Authorization: token "
    "<token>'), or log in and send the login cookie with the _xsrf token."
)


class TrackerHandler(APIHandler):
    """An authenticated JSON API handler with access to the runtime.

    Every `errors.TrackerError` raised by a verb (or anything it calls) is answered here, in one
    place, as `{"message": ..., "errors": [...]}` with its status (and Retry-After when set).
    """

    auth_resource = AUTH_RESOURCE
    access = "caller"

    def initialize(self, runtime: Runtime) -> None:
        """Receive the runtime shared by the server's handlers."""
        self.runtime = runtime

    @property
    def caller(self) -> Caller:
        """The authenticated caller (identity never comes from the request body)."""
        if getattr(self, "_caller", None) is None:
            self._caller = self.runtime.identify(self.current_user)
        return self._caller

    def scope(self) -> Scope:
        """What the caller may read, narrowed to `?course=` when given (400 when malformed)."""
        course = self.get_argument("course", None)
        if course is not None and not COURSE_ID.match(course):
            raise BadRequest(f"course must be a course id ({COURSE_ID.pattern}), got {course!r}")
        return self.caller.scope().narrowed(course)

    def exercise_argument(self) -> str | tuple[str, str] | None:
        """The exercise asked for: `?assignment=<id>` (its key) or `?notebook=<path>`."""
        assignment = self.get_argument("assignment", None)
        if assignment:
            return (assignment, "")
        return self.get_argument("notebook", None)

    def exercise_name(self) -> str | None:
        """The exercise asked for, as the audit log names it: `assignment:<id>` or the path."""
        assignment = self.get_argument("assignment", None)
        return f"assignment:{assignment}" if assignment else self.get_argument("notebook", None)

    def check_xsrf_cookie(self) -> None:
        """A request without any credentials is told to authenticate, not about XSRF."""
        if getattr(self, "_jupyter_current_user", "unset") is None:
            raise Forbidden(AUTHENTICATE)
        super().check_xsrf_cookie()

    def get_login_url(self) -> str:
        """An API never redirects to a login page: 403 saying how to authenticate."""
        if not self.current_user:
            raise Forbidden(AUTHENTICATE)
        return super().get_login_url()

    def reply(self, status: int, body: Any) -> None:
        """Finish with a JSON body."""
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Answer a TrackerError with its own body; anything else as jupyter_server does."""
        exc_info = kwargs.get("exc_info")
        error = exc_info[1] if exc_info else None
        if status_code == 405:
            self.set_header("Allow", ", ".join(self.allowed_methods()))
        if not isinstance(error, TrackerError):
            super().write_error(status_code, **kwargs)
            return
        if error.retry_after_s is not None:
            self.set_header("Retry-After", str(error.retry_after_s))
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(error.body()))

    def allowed_methods(self) -> list[str]:
        """The HTTP methods this handler implements (for the Allow header of a 405)."""
        return [
            method
            for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
            if getattr(type(self), method.lower())
            is not getattr(web.RequestHandler, method.lower())
        ]

    def time_argument(self, name: str) -> datetime | None:
        """An optional ISO 8601 query argument (naive means UTC); 400 when malformed.

        Bounded to the times events can have: a filter past them means the same, and every
        database can take it (year 9999 with a negative offset is past year 9999 in UTC).
        """
        raw = self.get_argument(name, None)
        if not raw:
            return None
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            raise BadRequest(f"{name} must be an ISO 8601 time, got {raw!r}") from None
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        try:
            value = value.astimezone(UTC)
        except OverflowError:
            return LATEST_QUERY_TIME if value.year > 1970 else EARLIEST_EVENT_TIME
        return min(max(value, EARLIEST_EVENT_TIME), LATEST_QUERY_TIME)

    def int_argument(self, name: str, default: int, *, low: int, high: int) -> int:
        """An optional integer query argument within [low, high]; 400 otherwise."""
        raw = self.get_argument(name, None)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise BadRequest(f"{name} must be an integer, got {raw!r}") from None
        if not low <= value <= high:
            raise BadRequest(f"{name} must be between {low} and {high}")
        return value


class InstructorHandler(TrackerHandler):
    """A dashboard API: only instructors and TAs (of some course), once the runtime started.

    Subclasses read through `self.scope()`; `access` says what their data is limited to.
    """

    access = "scope"

    async def prepare(self) -> None:  # type: ignore[override]
        """Refuse non-instructors before any verb runs (the unauthenticated get 403 anyway)."""
        await super().prepare()
        if self._finished or self.current_user is None:
            return  # @web.authenticated answers
        if not self.caller.is_instructor:
            raise Forbidden(INSTRUCTORS_ONLY)
        if self.access == "admin" and not self.caller.is_admin:
            raise Forbidden(ADMINS_ONLY)
        await self.runtime.ready()
