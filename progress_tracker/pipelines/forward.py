"""A user server's pipeline: forward each accepted batch to the collector, with the server's token.

The student's server holds no database or queue credentials. It validates a batch, stamps
its owner, and POSTs it to the collector (a JupyterHub service) with `$JUPYTERHUB_API_TOKEN`;
the collector identifies the token's owner itself. The browser gets its 202 only after the
collector's 202, so "accepted" still means "durable".
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tornado.httpclient import HTTPResponse

from ..errors import Unavailable, UpstreamRefused
from ..events import Event
from .collector import Collector

if TYPE_CHECKING:
    from ..tasks import BackgroundTasks

log = logging.getLogger(__name__)

# What a browser must see as-is: its batch is wrong and a retry would fail the same way, or (429)
# its user is over the collector's budget and must wait the collector's Retry-After.
RELAYED_STATUSES = frozenset({400, 413, 422, 429})
# Batches forwarded or waiting for a connection at once; beyond, the browser keeps them and retries
# (so a slow or dead collector costs a student's server bounded memory: a few bodies, no queue).
MAX_IN_FLIGHT = 8
# Fields the collector stamps itself (never forwarded: it would ignore them anyway).
SERVER_FIELDS = {"user_id", "received_at", "course", "section", "role"}


class ForwardingPipeline:
    """Forwarder mode: a batch is durable once the collector answered 202."""

    def __init__(self, collector: Collector, *, max_in_flight: int = MAX_IN_FLIGHT):
        self.collector = collector
        self.max_in_flight = max_in_flight
        self._in_flight = 0
        self._forwarded = 0
        self._last_error: str | None = None

    async def start(self, tasks: BackgroundTasks) -> None:
        """Nothing to start; the client is created on first use."""

    async def accept(self, events: Sequence[Event]) -> int:
        """POST `events` to the collector; once it answered 202, how many it did not keep
        (its `ignored_count`: capture is off for the owner in their course)."""
        self._check_owner(events)
        if self._in_flight >= self.max_in_flight:
            raise self._unavailable("is slow: too many batches are waiting for it", 2)
        self._in_flight += 1
        try:
            return await self._forward(events)
        finally:
            self._in_flight -= 1

    async def _forward(self, events: Sequence[Event]) -> int:
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
        detail = _json_body(response)
        if 200 <= response.code < 300:
            ignored = detail.get("ignored_count", 0)
            ignored = ignored if isinstance(ignored, int) and 0 <= ignored <= len(events) else 0
            self._forwarded += len(events) - ignored
            return ignored
        if response.code in RELAYED_STATUSES:
            retry_after = _retry_after(response) if response.code == 429 else None
            raise UpstreamRefused(response.code, detail, retry_after)
        retry_after = _retry_after(response)
        raise self._unavailable(
            f"answered {response.code}: {detail.get('message', '')}", retry_after
        )

    def _check_owner(self, events: Sequence[Event]) -> None:
        # The collector stores whatever arrives under this server's owner (its token's owner),
        # so events of anybody else who may use this server must not be forwarded.
        others = {event.user_id for event in events} - {self.collector.owner}
        if others:
            raise UpstreamRefused(
                403,
                {
                    "message": f"Events are forwarded only for the owner of this server "
                    f"({self.collector.owner}), not for {', '.join(sorted(others))}."
                },
            )

    def _unavailable(self, what: str, retry_after_s: int = 5) -> Unavailable:
        self._last_error = f"collector {what}"
        log.warning("progress_tracker: the collector %s; the browser will retry", what)
        return Unavailable("The progress collector is unavailable.", retry_after_s)

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
    return event.model_dump(mode="json", by_alias=True, exclude=SERVER_FIELDS)


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
