"""The cell drill-down: every student's latest attempt at one cell (instructors and TAs)."""

from __future__ import annotations

from datetime import timedelta

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..errors import BadRequest, NotFound
from .audit_hook import audit_access
from .dashboard import DashboardHandler


class CellLatestHandler(DashboardHandler):
    """`GET api/v1/cells/latest?notebook=P&cell=C` (or `?assignment=A&cell=C`)."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Each student's latest attempt at the cell, in scope, with their struggle signals."""
        cell = self.get_argument("cell", None)
        if not cell:
            raise BadRequest("cell (a cell id) is required.")
        exercise = self.exercise_argument()
        if exercise is None:  # as no such cell: the other dashboard reads answer none too
            raise NotFound("No exercise: give notebook (a path) or assignment (an id).")
        idle = timedelta(minutes=self.runtime.settings.dashboard.signal_idle_minutes)
        found = await self.queries.cell_latest(exercise, cell, self.scope(), idle_cutoff=idle)
        # Students' code is read: recorded as a read of the dashboard's data, before it is sent.
        await audit_access(self, "dashboard", target=self.exercise_name(), cell=cell)
        self.reply(200, found)
