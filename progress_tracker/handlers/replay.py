"""`GET api/v1/replay`: the runs of a time window, in time order, for replaying a class."""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..errors import BadRequest
from ..store.read import replay
from .dashboard import DashboardHandler

MAX_PAGE = 20_000


class ReplayHandler(DashboardHandler):
    """The runs in scope of an exercise within [since, until), a bounded page at a time."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Answer one page of runs and the cursor of the next (`null` on the last page)."""
        exercise = self.exercise_argument()
        since = self.time_argument("since")
        until = self.time_argument("until")
        limit = self.int_argument("limit", 5000, low=1, high=MAX_PAGE)
        raw_after = self.get_argument("after", None)
        after = replay.Cursor.parse(raw_after) if raw_after else None
        if raw_after and after is None:
            raise BadRequest(f"after must be a cursor from a previous page, got {raw_after!r}")
        if exercise is None or (since is not None and until is not None and until <= since):
            self.reply(200, {"runs": [], "next": None})
            return
        page = await replay.replay(
            self.queries.engine,
            exercise,
            since=since,
            until=until,
            after=after,
            limit=limit,
            scope=self.scope(),
        )
        self.reply(200, page)
