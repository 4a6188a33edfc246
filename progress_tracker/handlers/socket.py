"""WebSocket api/v1/ws: stored events pushed live to instructors, numbered, with catch-up."""

from __future__ import annotations

import re

from jupyter_server.auth.decorator import ws_authenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from tornado import web, websocket

from ..access import AUTH_RESOURCE
from ..courses import COURSE_ID
from ..courses.scope import Scope
from ..errors import BadRequest
from ..live.feed import FeedUnavailable
from ..live.follower import Follower, SocketClosed
from ..live.messages import FeedPosition
from ..live.subscription import Subscription
from ..runtime import Runtime
from .base import INSTRUCTORS_ONLY, require_authorized
from .help_live import HelpAwareFollower, HelpFollower

FEED_ID = re.compile(r"^[0-9a-f]{1,64}$")


def resume_position(feed: str | None, after: str | None) -> FeedPosition | None:
    """The position a dashboard resumes from (`?feed=&after=`), None to start live; 400 if bad."""
    if feed is None and after is None:
        return None
    if feed is None or after is None or not FEED_ID.match(feed) or not after.isdigit():
        raise BadRequest("Resume with both feed (the feed's id) and after (a sequence number).")
    return FeedPosition(feed, int(after))


class LiveSocketHandler(WebSocketMixin, websocket.WebSocketHandler, JupyterHandler):
    """Streams the stored events of the caller's scope to a dashboard (`live/follower.py`).

    Composed as jupyter_server's kernel socket is: `WebSocketMixin.open` starts the keep-alive
    ping (`ServerApp.websocket_ping_interval`), which also closes a peer that stops answering.
    """

    auth_resource = AUTH_RESOURCE
    access = "scope"

    def initialize(self, runtime: Runtime) -> None:
        """Receive the shared runtime."""
        self.runtime = runtime
        self._follower: Follower | None = None
        self._resume: FeedPosition | None = None
        self._scope: Scope | None = None
        self._subscription = Subscription()
        self._help: HelpFollower | None = None

    async def pre_get(self) -> None:
        """Only authorized instructors may open the socket; a bad position is a 400."""
        await require_authorized(self)
        caller = self.runtime.identify(self.current_user)
        if not caller.is_instructor:
            raise web.HTTPError(403, INSTRUCTORS_ONLY)
        course = self.get_argument("course", None)
        if course is not None and not COURSE_ID.match(course):
            raise BadRequest(f"course must be a course id, got {course!r}")
        self._scope = caller.scope().narrowed(course)
        self._resume = resume_position(
            self.get_argument("feed", None), self.get_argument("after", None)
        )
        self._subscription = Subscription.of(
            notebook=self.get_argument("notebook", None),
            assignment=self.get_argument("assignment", None),
        )
        await self.runtime.ready()

    @ws_authenticated
    async def get(self, *args: str, **kwargs: str) -> None:
        """Authorize, then upgrade to a WebSocket."""
        await self.pre_get()
        await super().get(*args, **kwargs)

    async def open(self, *args: str, **kwargs: str) -> None:
        """Start the keep-alive ping, then replay what the dashboard missed and follow."""
        super().open(*args, **kwargs)
        settings = self.runtime.settings.dashboard
        assert self._scope is not None
        self._help = HelpFollower(self.runtime, self._scope, self._write_help)
        self._follower = HelpAwareFollower(
            self.runtime.live,
            self._write,
            backlog_bytes=settings.live_backlog_bytes,
            scope=self._scope,
            subscription=self._subscription,
            help_follower=self._help,
        )
        try:
            await self._follower.start(self._resume)
        except FeedUnavailable as err:
            self.log.warning("progress_tracker: the live feed is unavailable: %s", err)
            self._follower.stop()
            self.close(1011, "The live feed is unavailable; reconnect shortly.")

    def _write(self, text: str):
        if self.ws_connection is None or self.ws_connection.is_closing():
            raise SocketClosed()
        try:
            return self.write_message(text)
        except websocket.WebSocketClosedError as err:
            raise SocketClosed() from err

    def _write_help(self, text: str) -> None:
        try:
            sent = self._write(text)
        except SocketClosed:
            return  # the socket's close stops the help follower
        if sent is not None:  # a failed write closes the socket: nothing more to do with it
            sent.add_done_callback(lambda done: done.cancelled() or done.exception())

    def on_message(self, message: str | bytes) -> None:
        """Clients only listen; a message from them is ignored."""

    def on_close(self) -> None:
        """Stop following (and the keep-alive ping) when the dashboard goes away."""
        if self._follower is not None:
            self._follower.stop()
        if self._help is not None:
            self._help.stop()
        if self.ping_callback is not None:
            self.ping_callback.stop()
