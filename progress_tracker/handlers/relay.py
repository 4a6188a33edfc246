"""Forwarder mode: the dashboard's APIs and live socket, relayed to the collector.

The dashboard talks to its own server whatever the mode. In a user server, the instructor
endpoints are relayed with the server's hub token, so the collector sees the server's owner
and makes the instructor check itself. Only the owner of the server is relayed: anyone else
with access to it (e.g. a shared server) would otherwise borrow the owner's rights.
"""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from typing import Any

from jupyter_server.auth.decorator import authorized, ws_authenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from tornado import httputil, web, websocket
from tornado.httpclient import HTTPClientError, HTTPRequest

from ..access import AUTH_RESOURCE
from ..errors import Forbidden
from ..pipelines.collector import CONNECT_TIMEOUT_S, Collector
from ..runtime import Runtime
from .base import INSTRUCTORS_ONLY, TrackerHandler, require_authorized

PASSED_HEADERS = ("Content-Type", "Content-Disposition", "Cache-Control", "Retry-After")
# The collector cuts live messages to `ProgressDashboard.live_message_bytes` (256 KiB by default;
# a single event can be larger, up to the intake's limits): far below this bound of the relay.
RELAY_MAX_MESSAGE_BYTES = 64 * 1024 * 1024
UNREACHABLE = "The progress collector is unreachable; try again shortly."


async def collector_of(runtime: Runtime) -> Collector:
    """The started runtime's collector client."""
    started = await runtime.ready()
    return started.pipeline.collector  # type: ignore[union-attr]


def require_owner(handler: Any, runtime: Runtime, collector: Collector) -> None:
    """403 unless the caller owns this server (the token relayed is the owner's)."""
    if runtime.identify(handler.current_user).user_id != collector.owner:
        raise Forbidden("Only the owner of this server may use its progress dashboard.")


class RelayMeHandler(TrackerHandler):
    """Who the caller is; the instructor flag and courses are the collector's answer for this
    server's owner."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Answer the caller's name, the collector's instructor verdict and the mode."""
        caller = self.caller
        collector = await collector_of(self.runtime)
        me: dict[str, Any] = {"isInstructor": False, "isAdmin": False, "courses": []}
        if caller.user_id == collector.owner:
            me = await self._collector_says(collector, caller)
        self.reply(200, {"userId": caller.user_id, **me, "mode": "forwarder"})

    async def _collector_says(self, collector: Collector, caller: Any) -> dict[str, Any]:
        """The collector's verdict on this server's owner: instructor, admin, courses."""
        try:
            response = await collector.fetch(collector.request("me", request_timeout=10))
        except OSError:
            response = None
        if response is None or response.code != 200:
            self.log.warning("progress_tracker: the collector did not answer api/v1/me")
            # the same groups apply on both sides
            return {"isInstructor": caller.is_instructor, "isAdmin": caller.is_admin, "courses": []}
        answer = json.loads(response.body)
        return {
            "isInstructor": bool(answer.get("isInstructor")),
            "isAdmin": bool(answer.get("isAdmin")),
            "courses": answer.get("courses") or [],
        }


class RelayHandler(TrackerHandler):
    """GET api/v1/<path> relayed to the collector, streamed back with its status."""

    def initialize(self, runtime: Runtime, path: str) -> None:  # type: ignore[override]
        """Receive the runtime and the API path this route relays."""
        super().initialize(runtime)
        self.path = path
        self._headers_sent = False

    @web.authenticated
    @authorized
    async def get(self, *args: str) -> None:
        """Relay the request; the collector checks that the owner is an instructor."""
        await self._relay(args)

    @web.authenticated
    @authorized
    async def post(self, *args: str) -> None:
        """Relay a POST (publishing an assignment, a help claim) with its body; 405 elsewhere."""
        if self.path not in RELAYED_POSTS:
            raise web.HTTPError(405)
        await self._relay(
            args,
            method="POST",
            body=self.request.body or b"",
            headers={"Content-Type": "application/json"},
        )

    async def _relay(self, args: tuple[str, ...], **kwargs: Any) -> None:
        collector = await collector_of(self.runtime)
        require_owner(self, self.runtime, collector)
        parser = _ResponseHead()
        path = self.path.format(*(urllib.parse.quote(arg, safe="") for arg in args))
        request = collector.request(
            path,
            query=self.request.query,
            header_callback=parser.feed,
            streaming_callback=lambda chunk: self._relay_chunk(parser, chunk),
            request_timeout=300,
            **kwargs,
        )
        try:
            response = await collector.fetch(request)
        except OSError:
            if not self._headers_sent:
                self.reply(502, {"message": UNREACHABLE})
                return
            raise
        if not self._headers_sent:
            self._start_reply(parser, response.code)
        self.finish()

    def _relay_chunk(self, parser: _ResponseHead, chunk: bytes) -> None:
        if not self._headers_sent:
            self._start_reply(parser, parser.code)
        self.write(chunk)
        self.flush().add_done_callback(lambda future: future.exception())

    def _start_reply(self, parser: _ResponseHead, code: int) -> None:
        self._headers_sent = True
        self.set_status(code)
        for name in PASSED_HEADERS:
            if name in parser.headers:
                self.set_header(name, parser.headers[name])


class _ResponseHead:
    """Collects the status line and headers that tornado hands to a header_callback."""

    def __init__(self) -> None:
        self.code = 502
        self.headers = httputil.HTTPHeaders()

    def feed(self, line: str) -> None:
        """Take one raw header line (the status line first, a blank line last)."""
        if line.startswith("HTTP/"):
            self.code = httputil.parse_response_start_line(line.strip()).code
            self.headers = httputil.HTTPHeaders()
        elif line.strip():
            self.headers.parse_line(line)


class RelaySocketHandler(WebSocketMixin, websocket.WebSocketHandler, JupyterHandler):
    """The live socket, relayed message by message from the collector's api/v1/ws."""

    auth_resource = AUTH_RESOURCE

    def initialize(self, runtime: Runtime) -> None:
        """Receive the shared runtime."""
        self.runtime = runtime
        self._upstream: websocket.WebSocketClientConnection | None = None
        self._pump: asyncio.Task[None] | None = None

    async def pre_get(self) -> None:
        """Authorize, then connect upstream first so that its refusal reaches the browser."""
        await require_authorized(self)
        collector = await collector_of(self.runtime)
        require_owner(self, self.runtime, collector)
        url = collector.api_url("ws", self.request.query)
        request = HTTPRequest(
            url.replace("http", "ws", 1),
            headers=collector.headers,
            connect_timeout=CONNECT_TIMEOUT_S,
            request_timeout=CONNECT_TIMEOUT_S * 2,
        )
        try:
            self._upstream = await websocket.websocket_connect(
                request, ping_interval=30, max_message_size=RELAY_MAX_MESSAGE_BYTES
            )
        except HTTPClientError as err:
            if err.code in (401, 403):
                raise web.HTTPError(403, INSTRUCTORS_ONLY) from err
            raise web.HTTPError(502, UNREACHABLE) from err
        except OSError as err:
            raise web.HTTPError(502, UNREACHABLE) from err

    @ws_authenticated
    async def get(self, *args: str, **kwargs: str) -> None:
        """Authorize and connect upstream, then upgrade to a WebSocket."""
        await self.pre_get()
        await super().get(*args, **kwargs)

    def open(self, *args: str, **kwargs: str) -> None:
        """Start the keep-alive ping towards the browser, then relay the collector's messages."""
        super().open(*args, **kwargs)
        self._pump = asyncio.get_running_loop().create_task(self._relay_upstream())

    async def _relay_upstream(self) -> None:
        # Each message is written out before the next is read: a slow browser slows the
        # collector's socket down, which then tells the dashboard to resynchronise.
        upstream = self._upstream
        while upstream is not None:
            message = await upstream.read_message()
            if message is None:
                break
            try:
                await self.write_message(message)
            except websocket.WebSocketClosedError:
                break
        if self.ws_connection is not None and not self.ws_connection.is_closing():
            self.close(1011, "The progress collector closed the live feed.")

    def on_message(self, message: str | bytes) -> None:
        """Clients only listen; a message from them is ignored."""

    def on_close(self) -> None:
        """Close the upstream socket when the dashboard goes away."""
        if self._upstream is not None:
            self._upstream.close()
            self._upstream = None
        if self._pump is not None:
            self._pump.cancel()
        if self.ping_callback is not None:
            self.ping_callback.stop()

    def on_finish(self) -> None:
        """Close the upstream socket of an upgrade that never happened."""
        if self._upstream is not None and self.ws_connection is None:
            self._upstream.close()
            self._upstream = None


RELAYED = (
    "progress",
    "executions",
    "errors",
    "pace",
    "export.csv",
    "health",
    "assignments",
    "courses",
    "help",
    "help/mine",
    "cells/latest",
    "replay",
)
# Relayed routes with a path argument: (route pattern, the collector's path with {}).
RELAYED_WITH_ID = (
    (r"assignments/([^/]+)", "assignments/{}"),
    (r"help/([^/]+)/claim", "help/{}/claim"),
    (r"help/([^/]+)/resolve", "help/{}/resolve"),
)
RELAYED_POSTS = frozenset({"assignments", "help/{}/claim", "help/{}/resolve"})


def relay_routes(runtime: Runtime, api: str) -> list[tuple[str, type, dict[str, Any]]]:
    """Routes of the relayed endpoints (the events and settings handlers stay local)."""
    return [
        (f"{api}/me", RelayMeHandler, {"runtime": runtime}),
        *[(f"{api}/{path}", RelayHandler, {"runtime": runtime, "path": path}) for path in RELAYED],
        *[
            (f"{api}/{pattern}", RelayHandler, {"runtime": runtime, "path": path})
            for pattern, path in RELAYED_WITH_ID
        ],
        (f"{api}/ws", RelaySocketHandler, {"runtime": runtime}),
    ]
