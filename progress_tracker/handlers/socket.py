"""WebSocket api/v1/ws: stored events pushed live to instructors, with catch-up."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from jupyter_core.utils import ensure_async
from jupyter_server.auth.decorator import ws_authenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from tornado import web, websocket

from ..access import AUTH_RESOURCE
from ..live.feed import WireEvent
from ..runtime import Runtime
from .base import INSTRUCTORS_ONLY


class LiveSocketHandler(WebSocketMixin, websocket.WebSocketHandler, JupyterHandler):
    """Streams every stored event to a connected instructor dashboard.

    Composed as jupyter_server's kernel socket is: `WebSocketMixin.open` starts the keep-alive
    ping (`ServerApp.websocket_ping_interval`), which also closes a peer that stops answering.
    """

    auth_resource = AUTH_RESOURCE

    def initialize(self, runtime: Runtime) -> None:
        """Receive the shared runtime."""
        self.runtime = runtime
        self._unsubscribe: Callable[[], None] | None = None
        self._held: list[WireEvent] | None = None

    async def pre_get(self) -> None:
        """Only authorized instructors may open the socket."""
        user = self.current_user
        allowed = await ensure_async(
            self.authorizer.is_authorized(self, user, "read", AUTH_RESOURCE)
        )
        if not allowed:
            raise web.HTTPError(403)
        if not self.runtime.identify(user).is_instructor:
            raise web.HTTPError(403, INSTRUCTORS_ONLY)
        await self.runtime.ready()

    @ws_authenticated
    async def get(self, *args: str, **kwargs: str) -> None:
        """Authorize, then upgrade to a WebSocket."""
        await self.pre_get()
        await super().get(*args, **kwargs)

    async def open(self, *args: str, **kwargs: str) -> None:
        """Start the keep-alive ping, subscribe, then replay what the client missed since `since`."""
        super().open(*args, **kwargs)
        since = self.get_argument("since", None)
        self._held = [] if since else None
        self._unsubscribe = self.runtime.live.subscribe(self._on_events)
        if since:
            await self._catch_up(since)

    async def _catch_up(self, since: str) -> None:
        queries = self.runtime.queries
        assert queries is not None
        replay, complete = await queries.events_since(
            since, limit=self.runtime.settings.dashboard.replay_limit
        )
        held, self._held = self._held or [], None
        if replay is None:
            self._send({"type": "resync", "reason": f"unknown event {since!r}"})
        else:
            self._send_events([event.to_wire() for event in replay])
        # events that arrived live during the replay; the client de-duplicates by eventId
        self._send_events(held)
        self._send(
            {
                "type": "caught_up",
                "complete": bool(replay is not None and complete),
                "lastEventId": await queries.last_event_id(),
            }
        )

    def _on_events(self, events: Sequence[WireEvent]) -> None:
        if self._held is not None:
            self._held.extend(events)
            return
        self._send_events(events)

    def _send_events(self, events: Sequence[WireEvent]) -> None:
        if events:
            self._send({"type": "events", "events": list(events)})

    def _send(self, message: dict) -> None:
        if self.ws_connection is None or self.ws_connection.is_closing():
            self._close_subscription()
            return
        try:
            self.write_message(json.dumps(message))
        except websocket.WebSocketClosedError:
            self._close_subscription()

    def on_message(self, message: str | bytes) -> None:
        """Clients only listen; a message from them is ignored."""

    def on_close(self) -> None:
        """Drop the subscription (and the keep-alive ping) when the dashboard goes away."""
        self._close_subscription()
        if self.ping_callback is not None:
            self.ping_callback.stop()

    def _close_subscription(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
