"""POST api/v1/events: bound the body, validate, charge the user's budget, make the batch durable."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from .. import metrics
from ..access.budget import OverQuota, retry_after_s
from ..courses.attribution import assignment_ids, attribute
from ..errors import InvalidEvents, PayloadTooLarge, TooManyRequests, TrackerError
from ..events import Event
from ..events.batch import parse_batch
from ..events.model import cell_of, notebook_of
from .base import TrackerHandler


@web.stream_request_body
class EventsHandler(TrackerHandler):
    """Receives batches of events from the capture plugin (or any authenticated client).

    The body is streamed: one over `max_body_bytes` is refused from its Content-Length before it
    is read, and one sent without a length is cut off at the limit (the connection is closed).
    """

    _body: list[bytes]
    _received = 0
    _body_read = False

    async def prepare(self) -> None:  # type: ignore[override]
        """Authenticate, then refuse a body announced as too large before reading any of it."""
        self._body = []
        await super().prepare()
        if self._finished:
            return
        length = self.request.headers.get("Content-Length")
        if length is not None and length.isdigit():
            self._check_size(int(length))

    def data_received(self, chunk: bytes) -> None:
        """Keep the body up to the limit; past it, answer 413 and stop reading."""
        if self._finished:
            return
        self._received += len(chunk)
        try:
            self._check_size(self._received)
        except PayloadTooLarge as err:
            self._body = []
            metrics.EVENTS_REJECTED.labels(str(err.status_code)).inc()
            self.set_status(err.status_code)
            self.write_error(err.status_code, exc_info=(type(err), err, None))
            return
        self._body.append(chunk)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """An answer sent before the body was read closes the connection: say so.

        Tornado closes it once the answer is written; without `Connection: close` a proxy
        (JupyterHub's) may reuse it for the next request and answer that one 503.
        """
        if not self._body_read:
            self.set_header("Connection", "close")
        super().write_error(status_code, **kwargs)

    def _check_size(self, size: int) -> None:
        limit = self.runtime.settings.intake.max_body_bytes
        if size > limit:
            raise PayloadTooLarge(f"The body is over {limit} bytes; at most {limit} are accepted.")

    @web.authenticated
    @authorized
    async def post(self) -> None:
        """Accept a batch: 202 once durable, 4xx/503 with the reason otherwise."""
        if self._finished:
            return  # refused while it was streaming in
        self._body_read = True
        try:
            count, ignored = await self._accept(b"".join(self._body))
        except TrackerError as err:
            metrics.EVENTS_REJECTED.labels(str(err.status_code)).inc()
            raise
        metrics.EVENTS_ACCEPTED.inc(count)
        reply: dict[str, Any] = {
            "message": f"{count} events received and queued",
            "processed_count": count,
        }
        if ignored:
            reply["ignored_count"] = ignored
            reply["message"] += f"; {ignored} not kept: capture is off for you in their course"
        self.reply(202, reply)

    async def _accept(self, body: bytes) -> tuple[int, int]:
        intake = self.runtime.settings.intake
        user = self.caller.user_id
        runtime = await self.runtime.ready()
        ledger = runtime.ledger
        if ledger is not None:
            await _within_budget(ledger, user, nbytes=len(body))
        events = parse_batch(
            body, user_id=user, max_events=intake.max_batch_events, limits=intake.text
        )
        if ledger is not None:
            wait_s, over = await ledger.charge_and_admit(user, names_of(events), events=len(events))
            _refuse_over_budget(wait_s)
            _refuse_over_quota(events, over, intake)
        if runtime.assignments is not None:  # the collector (or embedded server) attributes
            known = await runtime.assignments.courses_of(assignment_ids(events))
            attribute(events, self.caller, known)
        ignored = 0
        if runtime.privacy is not None:  # consent and capture level, whatever the client sent
            from ..privacy.intake import admit  # a storing server's: it reads the consents

            admitted = await admit(
                events, self.caller, runtime.settings.privacy, runtime.privacy.consents
            )
            events, ignored = admitted.events, admitted.ignored_count
        assert runtime.pipeline is not None
        if events:
            # a forwarder's collector applies the consent itself and says what it did not keep
            upstream_ignored = await runtime.pipeline.accept(events) or 0
            return len(events) - upstream_ignored, ignored + upstream_ignored
        return 0, ignored


async def _within_budget(ledger: Any, user: str, **cost: int) -> None:
    _refuse_over_budget(await ledger.charge(user, **cost))


def _refuse_over_budget(wait_s: float) -> None:
    if wait_s:
        raise TooManyRequests(
            f"You are sending faster than this server accepts from one user; "
            f"retry in {retry_after_s(wait_s)} s.",
            retry_after_s=retry_after_s(wait_s),
        )


def names_of(events: list[Event]) -> dict[str, set[str]]:
    """The notebooks of a batch, each with the cells its events name."""
    names: dict[str, set[str]] = defaultdict(set)
    for event in events:
        cell = cell_of(event)
        names[notebook_of(event)].update(() if cell is None else (cell,))
    return names


def _refuse_over_quota(events: list[Event], over: OverQuota, intake: Any) -> None:
    """422 naming each event whose notebook or cell is over the user's bounds."""
    if not over:
        return
    bounds = intake.per_user
    errors: list[dict[str, Any]] = []
    for index, event in enumerate(events):
        notebook = notebook_of(event)
        if notebook in over.notebooks:
            errors.append(
                {
                    "index": index,
                    "field": "notebookPath",
                    "error": f"one user may send events about at most {bounds.notebooks} notebooks",
                }
            )
        elif cell_of(event) in over.cells.get(notebook, ()):
            errors.append(
                {
                    "index": index,
                    "field": "cellId",
                    "error": f"one user may send events about at most "
                    f"{bounds.cells_per_notebook} cells of a notebook",
                }
            )
    raise InvalidEvents(
        f"{len(errors)} of {len(events)} events name more notebooks or cells than one user may; "
        "nothing was accepted.",
        errors=errors,
    )
