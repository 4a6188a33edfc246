"""The help queue: staff list, claim and resolve raised hands; a student reads their own."""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..errors import NotFound
from ..help.notices import notices_of
from ..help.queue import CLAIM, RESOLVE, HelpQueue
from ..runtime import Runtime
from .base import InstructorHandler, TrackerHandler


def queue_of(handler: TrackerHandler) -> HelpQueue:
    """The help queue over the started runtime's engine."""
    assert handler.runtime.engine is not None
    return HelpQueue(handler.runtime.engine)


class HelpQueueHandler(InstructorHandler):
    """GET api/v1/help: the open entries of the caller's scope, the longest waiting first."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """`?course=` and `?notebook=` / `?assignment=` narrow the queue."""
        entries = await queue_of(self).open_entries(self.scope(), self.exercise_argument())
        self.reply(200, {"entries": entries})


class HelpChangeHandler(InstructorHandler):
    """POST api/v1/help/{id}/claim or /resolve, by staff of the entry's course or section."""

    def initialize(self, runtime: Runtime, action: str) -> None:  # type: ignore[override]
        """Receive the runtime and which change this route makes."""
        super().initialize(runtime)
        self.action = action

    @web.authenticated
    @authorized
    async def post(self, entry_id: str) -> None:
        """Answer the changed entry; 404 unknown, 403 out of scope, 409 resolved already."""
        if not entry_id.isdigit() or len(entry_id) > 18:
            raise NotFound(f"No help entry {entry_id!r}.")
        # The caller's whole scope: `?course=` would only turn a 403 into another 403.
        entry = await queue_of(self).change(
            int(entry_id), self.action, self.caller.user_id, self.caller.scope()
        )
        notices_of(self.runtime).tell(entry)
        self.reply(200, entry)


class MyHelpHandler(TrackerHandler):
    """GET api/v1/help/mine: the caller's own open entries (whether someone is coming)."""

    access = "caller"

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Answer `{"entries": [...]}` of the authenticated user only."""
        await self.runtime.ready()
        self.reply(200, {"entries": await queue_of(self).mine(self.caller.user_id)})


def help_routes(runtime: Runtime, api: str) -> list[tuple[str, type, dict[str, Any]]]:
    """The help queue's routes."""
    kwargs = {"runtime": runtime}
    return [
        (f"{api}/help", HelpQueueHandler, kwargs),
        (f"{api}/help/mine", MyHelpHandler, kwargs),
        (f"{api}/help/([^/]+)/claim", HelpChangeHandler, {**kwargs, "action": CLAIM}),
        (f"{api}/help/([^/]+)/resolve", HelpChangeHandler, {**kwargs, "action": RESOLVE}),
    ]
