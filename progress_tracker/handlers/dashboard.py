"""The instructor APIs behind the dashboard: snapshot, timelines, errors and pace.

Each reads only what the caller's scope allows: their courses, and for a TA their sections.
"""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..errors import BadRequest, Unavailable
from ..live.feed import FeedUnavailable
from ..store.read import ProgressQueries
from ..store.read.compact import FORM, compact_lines
from .audit_hook import audit_access
from .base import InstructorHandler


class DashboardHandler(InstructorHandler):
    """An instructor API over the store's read side."""

    @property
    def queries(self) -> ProgressQueries:
        """The read side (the runtime is started by `prepare`)."""
        assert self.runtime.queries is not None
        return self.runtime.queries


class ProgressHandler(DashboardHandler):
    """The snapshot a dashboard loads first."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Per student and cell: status, attempts, errors, last error; and the notebooks.

        `liveFeed` and `liveSeq` say where the live feed was before the snapshot was read:
        every message up to `liveSeq` is in it, so a dashboard follows the socket from there.
        `?form=compact` answers the compact form, `pageSize` students per line, each line
        flushed as it is written (`store/read/compact.py`).
        """
        form = self.get_argument("form", "full")
        if form not in ("full", FORM):
            raise BadRequest("form is 'full' (the default) or 'compact'.")
        page_size = self.int_argument("pageSize", 200, low=1, high=10_000)
        try:
            position = await self.runtime.live.head()
        except FeedUnavailable as err:
            raise Unavailable("The live feed is unavailable, so is a snapshot to follow.") from err
        exercise = self.exercise_argument()
        scope = self.scope()
        heartbeat_s = self.runtime.settings.capture.heartbeat_seconds
        live = {"liveFeed": position.feed, "liveSeq": position.seq}
        if form == "full":
            snapshot = await self.queries.progress(exercise, scope, heartbeat_s=heartbeat_s)
            await audit_access(self, "dashboard", target=self.exercise_name())  # before it is sent
            self.reply(200, {**snapshot, **live})
            return
        compact = await self.queries.compact_snapshot(exercise, scope, heartbeat_s=heartbeat_s)
        await audit_access(self, "dashboard", target=self.exercise_name())
        self.set_status(200)
        self.set_header("Content-Type", "application/json")
        for line in compact_lines(compact, live, page_size=page_size):
            self.write(line)
            await self.flush()  # the first screen is on its way before the rest is serialised
        self.finish()


class ExecutionsHandler(DashboardHandler):
    """Stored executions of a notebook, optionally of one student (their timeline)."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """List executions, oldest first."""
        user = self.get_argument("user", None)
        if user is not None:  # a student's timeline
            await audit_access(self, "timeline", target=user, notebook=self.exercise_name())
        events = await self.queries.executions(
            self.exercise_argument(),
            self.scope(),
            user=user,
            since=self.time_argument("since"),
            until=self.time_argument("until"),
            limit=self.int_argument("limit", 1000, low=1, high=10_000),
        )
        self.reply(200, {"executions": [event.to_wire() for event in events]})


class ErrorsHandler(DashboardHandler):
    """Distinct errors per cell of a notebook."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Group the errors of each cell, most widespread first (none without an exercise).

        `since` / `until` bound the runs grouped to a time window, `studentsNow` included.
        """
        notebook = self.exercise_argument()
        since, until = self.time_argument("since"), self.time_argument("until")
        cells = (
            []
            if notebook is None
            else await self.queries.errors(notebook, self.scope(), since=since, until=until)
        )
        self.reply(200, {"cells": cells})


class PaceHandler(DashboardHandler):
    """Executions and errors over time, and how far the class has got."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Answer the per-bucket series of a notebook."""
        notebook = self.exercise_argument()
        bucket = self.int_argument("bucket", 60, low=10, high=24 * 3600)
        series = (
            []
            if notebook is None
            else await self.queries.pace(notebook, bucket_s=bucket, scope=self.scope())
        )
        self.reply(200, {"bucketSeconds": bucket, "series": series})
