"""Forwarder mode: the tracker's APIs that change something (consent, erasure), relayed.

Like `relay.RelayHandler` for GET, with the body passed on: the collector sees this server's
owner (the hub token is theirs) and decides; only the owner of the server is relayed.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from .relay import PASSED_HEADERS, UNREACHABLE, RelayHandler, collector_of, require_owner

# Bodies of these APIs are a few bytes; anything larger is no consent choice.
MAX_RELAYED_BODY = 64 * 1024


class RelayWriteHandler(RelayHandler):
    """GET (streamed, as `RelayHandler`), PUT and DELETE of `api/v1/<path>`, relayed."""

    async def _relay_with_body(self, method: str) -> None:
        collector = await collector_of(self.runtime)
        require_owner(self, self.runtime, collector)
        body = self.request.body or b""
        if len(body) > MAX_RELAYED_BODY:
            self.reply(413, {"message": f"The body is over {MAX_RELAYED_BODY} bytes."})
            return
        request = collector.request(
            self.path,
            query=self.request.query,
            method=method,
            body=body if method != "DELETE" else None,
            headers={"Content-Type": self.request.headers.get("Content-Type", "application/json")},
            allow_nonstandard_methods=True,
        )
        try:
            response = await collector.fetch(request)
        except OSError:
            self.reply(502, {"message": UNREACHABLE})
            return
        self.set_status(response.code)
        for name in PASSED_HEADERS:
            if name in response.headers:
                self.set_header(name, response.headers[name])
        self.finish(response.body or b"")

    @web.authenticated
    @authorized
    async def put(self) -> None:
        """Relay a PUT with its body."""
        await self._relay_with_body("PUT")

    @web.authenticated
    @authorized
    async def delete(self) -> None:
        """Relay a DELETE."""
        await self._relay_with_body("DELETE")


# The privacy APIs, relayed with their bodies: a student's consent, the governance APIs.
RELAYED_WRITES = (
    "consent",
    "consent/counts",
    "audit",
    "subject",
    "progsnap2.zip",
    "consent/courses",
)


def relay_write_routes(runtime: Any, api: str) -> list[tuple[str, type, dict[str, Any]]]:
    """Routes of the privacy APIs in a forwarder."""
    return [
        (f"{api}/{path}", RelayWriteHandler, {"runtime": runtime, "path": path})
        for path in RELAYED_WRITES
    ]
