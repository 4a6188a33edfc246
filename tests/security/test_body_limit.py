"""Bodies over the limit are refused before they are read; requests without credentials are told
to authenticate."""

from __future__ import annotations

import asyncio
import json

import pytest

from .conftest import post_events

pytestmark = pytest.mark.usefixtures("jp_serverapp", "http_server")

LIMIT = 64 * 1024


@pytest.fixture
def tracker_config():
    return {}


@pytest.fixture
def jp_server_config(database_url):
    return {
        "ServerApp": {
            "jpserver_extensions": {"progress_tracker": True, "jupyter_server_terminals": False},
            "allow_unauthenticated_access": False,
        },
        "ProgressTracker": {"database_url": database_url},
        "EventIntake": {"max_body_bytes": LIMIT},
    }


async def raw_post(
    port: int, base_url: str, token: str, head: str, body_chunks
) -> tuple[str, bool]:
    """Send a POST by hand; (the response read, whether the server closed the connection)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        (
            f"POST {base_url}api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: token {token}\r\nContent-Type: application/json\r\n{head}\r\n"
        ).encode()
    )
    try:
        for chunk in body_chunks:
            writer.write(chunk)
            await writer.drain()
    except ConnectionError:
        pass  # the server stopped reading: what is being tested
    response = await asyncio.wait_for(reader.read(65536), 30)
    closed = await asyncio.wait_for(reader.read(1), 30) == b""
    writer.close()
    return response.decode(errors="replace"), closed


async def test_a_body_announced_over_the_limit_is_refused_before_it_is_sent(
    jp_serverapp, jp_http_port, jp_base_url
):
    """Observation 4: a 300 MB POST was read into memory before its 413."""
    token = jp_serverapp.identity_provider.token
    response, closed = await raw_post(
        jp_http_port, jp_base_url, token, f"Content-Length: {300 * 1024 * 1024}\r\n", []
    )
    status_line, _, rest = response.partition("\r\n")
    assert " 413 " in status_line
    assert "Connection: close" in rest, "a proxy must not reuse the connection"
    assert f"at most {LIMIT}" in json.loads(rest.split("\r\n\r\n", 1)[1])["message"]
    assert closed


async def test_a_chunked_body_is_cut_off_at_the_limit(jp_serverapp, jp_http_port, jp_base_url):
    token = jp_serverapp.identity_provider.token
    chunk = b"x" * 16384
    # a little over the limit: a client still sending when the server closes may see a reset
    chunks = [f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" for _ in range(5)]
    response, closed = await raw_post(
        jp_http_port, jp_base_url, token, "Transfer-Encoding: chunked\r\n", chunks
    )
    assert " 413 " in response.partition("\r\n")[0]
    assert closed


async def test_a_request_without_credentials_is_told_to_authenticate(jp_fetch):
    """Issue 11: a client without a token got 403 "'_xsrf' argument missing"."""
    status, reply, headers = await post_events(jp_fetch, [], headers={"Authorization": ""})
    assert status == 403
    assert headers["Connection"] == "close", "answered before the body was read"
    assert "Authenticate" in reply["message"] and "token" in reply["message"]
    assert "_xsrf' argument missing" not in reply["message"]
