"""A user server's pipeline: forward each accepted batch to the collector, with the server's token.

The student's server holds no database or queue credentials. It validates a batch, stamps
its owner, and POSTs it to the collector (a JupyterHub service) with `$JUPYTERHUB_API_TOKEN`;
the collector identifies the token's owner itself. The browser gets its 202 only after the
collector's 202, so "accepted" still means "durable".
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from typing import Any

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest, HTTPResponse

from .events import Event
from .pipeline import QueueUnavailable

log = logging.getLogger(__name__)

# What a browser must see as-is: its batch is wrong and a retry would fail the same way.
RELAYED_STATUSES = frozenset({400, 413, 422})
CONNECT_TIMEOUT_S = 5.0
REQUEST_TIMEOUT_S = 30.0


class CollectorRejected(Exception):
    """A refusal the browser must see (4xx): the batch is invalid, or not its owner's."""

    def __init__(self, status: int, body: dict[str, Any]):
        super().__init__(body.get("message", f"HTTP {status}"))
        self.status = status
        self.body = body


class Collector:
    """The collector's base URL and this server's credentials; one HTTP client per process."""

    def __init__(self, url: str, token: str, owner: str):
        self.url = url if url.endswith("/") else f"{url}/"
        self.owner = owner
        self._token = token
        self._client: AsyncHTTPClient | None = None

    @classmethod
    def from_environment(cls, url: str) -> Collector:
        """A collector client with this user server's JupyterHub token and user name."""
        return cls(url, os.environ["JUPYTERHUB_API_TOKEN"], os.environ.get("JUPYTERHUB_USER", ""))

    @property
    def headers(self) -> dict[str, str]:
        """Authentication of this server towards the collector."""
        return {"Authorization": f"token {self._token}"}

    def api_url(self, path: str, query: str = "") -> str:
        """The collector's URL of `api/v1/<path>`, with a query string."""
        url = f"{self.url}api/v1/{path}"
        return f"{url}?{query}" if query else url

    @property
    def client(self) -> AsyncHTTPClient:
        """The HTTP client (created on first use, closed by `close`)."""
        if self._client is None:
            self._client = AsyncHTTPClient(force_instance=True)
        return self._client

    async def fetch(self, request: HTTPRequest) -> HTTPResponse:
        """Send a request; any HTTP status is returned, connection failures raise OSError."""
        try:
            return await self.client.fetch(request, raise_error=False)
        except HTTPClientError as err:  # 599: timeout or connection closed
            raise OSError(str(err)) from err

    def request(self, path: str, *, query: str = "", **kwargs: Any) -> HTTPRequest:
        """An authenticated request to `api/v1/<path>`."""
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return HTTPRequest(
            self.api_url(path, query),
            headers=headers,
            connect_timeout=CONNECT_TIMEOUT_S,
            request_timeout=kwargs.pop("request_timeout", REQUEST_TIMEOUT_S),
            follow_redirects=False,
            **kwargs,
        )

    def close(self) -> None:
        """Close the HTTP client."""
        if self._client is not None:
            self._client.close()
            self._client = None


class ForwardingPipeline:
    """Forwarder mode: a batch is durable once the collector answered 202."""

    def __init__(self, collector: Collector):
        self.collector = collector
        self._forwarded = 0
        self._last_error: str | None = None

    async def start(self) -> None:
        """Nothing to start; the client is created on first use."""

    async def accept(self, events: Sequence[Event]) -> None:
        """POST `events` to the collector; return once it answered 202."""
        self._check_owner(events)
        body = json.dumps([_client_fields(event) for event in events])
        request = self.collector.request(
            "events",
            method="POST",
            body=body,
            headers={"Content-Type": "application/json"},
        )
        try:
            response = await self.collector.fetch(request)
        except OSError as err:
            raise self._unavailable(f"unreachable ({err})") from err
        if 200 <= response.code < 300:
            self._forwarded += len(events)
            return
        detail = _json_body(response)
        if response.code in RELAYED_STATUSES:
            raise CollectorRejected(response.code, detail)
        retry_after = _retry_after(response)
        raise self._unavailable(
            f"answered {response.code}: {detail.get('message', '')}", retry_after
        )

    def _check_owner(self, events: Sequence[Event]) -> None:
        # The collector stores whatever arrives under this server's owner (its token's owner),
        # so events of anybody else who may use this server must not be forwarded.
        others = {event.user_id for event in events} - {self.collector.owner}
        if others:
            raise CollectorRejected(
                403,
                {
                    "message": f"Events are forwarded only for the owner of this server "
                    f"({self.collector.owner}), not for {', '.join(sorted(others))}."
                },
            )

    def _unavailable(self, what: str, retry_after_s: int = 5) -> QueueUnavailable:
        self._last_error = f"collector {what}"
        log.warning("progress_tracker: the collector %s; the browser will retry", what)
        return QueueUnavailable("The progress collector is unavailable.", retry_after_s)

    async def health(self) -> dict[str, Any]:
        """Counters of this forwarder."""
        return {
            "pipeline": "forwarder",
            "collector": self.collector.url,
            "forwarded": self._forwarded,
            "lastError": self._last_error,
        }

    async def stop(self) -> None:
        """Close the HTTP client."""
        self.collector.close()


def _client_fields(event: Event) -> dict[str, Any]:
    """An event as a client sends it (the collector stamps the user and arrival time itself)."""
    return event.model_dump(mode="json", by_alias=True, exclude={"user_id", "received_at"})


def _json_body(response: HTTPResponse) -> dict[str, Any]:
    try:
        body = json.loads(response.body or b"")
    except ValueError:
        body = None
    if isinstance(body, dict):
        return body
    return {"message": f"The progress collector answered HTTP {response.code}."}


def _retry_after(response: HTTPResponse) -> int:
    try:
        return max(1, min(300, int(response.headers.get("Retry-After", "5"))))
    except ValueError:
        return 5
