"""What every tracker handler shares: the tracker, the caller, JSON replies, instructor checks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from jupyter_server.base.handlers import APIHandler
from tornado import web

from ..identity import Caller
from ..tracker import Tracker

AUTH_RESOURCE = "progress_tracker"


class TrackerHandler(APIHandler):
    """An authenticated JSON API handler with access to the tracker."""

    auth_resource = AUTH_RESOURCE

    def initialize(self, tracker: Tracker) -> None:
        """Receive the tracker shared by the server's handlers."""
        self.tracker = tracker

    @property
    def caller(self) -> Caller:
        """The authenticated caller (identity never comes from the request body)."""
        return self.tracker.identify(self.current_user)

    def require_instructor(self) -> Caller:
        """The caller, if an instructor; 403 otherwise."""
        caller = self.caller
        if not caller.is_instructor:
            raise web.HTTPError(403, "Only instructors may use the progress dashboard.")
        return caller

    def reply(self, status: int, body: Any) -> None:
        """Finish with a JSON body."""
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    def time_argument(self, name: str) -> datetime | None:
        """An optional ISO 8601 query argument (naive means UTC); 400 when malformed."""
        raw = self.get_argument(name, None)
        if not raw:
            return None
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            raise web.HTTPError(400, f"{name} must be an ISO 8601 time, got {raw!r}") from None
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    def int_argument(self, name: str, default: int, *, low: int, high: int) -> int:
        """An optional integer query argument within [low, high]; 400 otherwise."""
        raw = self.get_argument(name, None)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise web.HTTPError(400, f"{name} must be an integer, got {raw!r}") from None
        if not low <= value <= high:
            raise web.HTTPError(400, f"{name} must be between {low} and {high}")
        return value
