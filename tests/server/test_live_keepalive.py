"""The live socket keeps itself alive: pings at the configured interval, and drops a silent peer.

Proxies close idle connections and dead dashboards (a laptop lid shut) never say goodbye; the
socket uses jupyter_server's keep-alive (`ws_ping_interval` / `ws_ping_timeout`, milliseconds).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import os
import time

import pytest
from jupyter_server.auth.authorizer import Authorizer
from tornado.httpclient import HTTPClientError

PING_INTERVAL_MS = 200
PING_TIMEOUT_MS = 1000


@pytest.fixture
def jp_server_config(jp_server_config):
    """The test server, with a short keep-alive."""
    jp_server_config["ServerApp"]["tornado_settings"] = {
        "ws_ping_interval": PING_INTERVAL_MS,
        "ws_ping_timeout": PING_TIMEOUT_MS,
    }
    return jp_server_config


def runtime_of(jp_serverapp):
    return next(iter(jp_serverapp.extension_manager.extension_apps["progress_tracker"])).runtime


async def eventually(check, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def test_an_open_dashboard_is_pinged_at_the_configured_interval(jp_ws_fetch):
    ws = await jp_ws_fetch("api", "v1", "ws")
    pings: list[float] = []
    ws.on_ping = lambda data: pings.append(time.monotonic())
    await eventually(lambda: len(pings) >= 4)
    gaps = [later - earlier for earlier, later in itertools.pairwise(pings)]
    # Pings come from a periodic timer of the configured period: never faster than it.
    assert min(gaps) >= PING_INTERVAL_MS / 1000 * 0.5
    ws.close()


async def test_a_peer_that_stops_answering_pings_is_dropped(
    jp_serverapp, http_server_client, jp_http_port, jp_base_url, jp_auth_header
):
    # (http_server_client: the fixture that makes the test server listen on jp_http_port)
    runtime = runtime_of(jp_serverapp)
    # A raw client: it completes the WebSocket handshake, then never reads (so never answers a
    # ping), like a dashboard whose machine went to sleep.
    reader, writer = await asyncio.open_connection("127.0.0.1", jp_http_port)
    key = base64.b64encode(os.urandom(16)).decode()
    headers = "".join(f"{name}: {value}\r\n" for name, value in jp_auth_header.items())
    writer.write(
        (
            f"GET {jp_base_url}api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1:{jp_http_port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{headers}\r\n"
        ).encode()
    )
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), 30)
    assert b" 101 " in status_line, status_line
    await eventually(lambda: runtime.live.listener_count == 1)

    await eventually(lambda: runtime.live.listener_count == 0)
    writer.close()


class DenyingAsyncAuthorizer(Authorizer):
    """An authorizer whose answer is a coroutine (allowed by jupyter_server): it denies all."""

    async def is_authorized(self, handler, user, action, resource) -> bool:
        return False


class TestAnAsyncAuthorizer:
    """A coroutine is truthy: the socket must await the authorizer's answer, not test it."""

    @pytest.fixture
    def jp_server_config(self, jp_server_config):
        jp_server_config["ServerApp"]["authorizer_class"] = DenyingAsyncAuthorizer
        return jp_server_config

    async def test_its_refusal_closes_the_door_to_the_live_socket(self, jp_ws_fetch):
        with pytest.raises(HTTPClientError) as refused:
            await jp_ws_fetch("api", "v1", "ws")
        assert refused.value.code == 403
