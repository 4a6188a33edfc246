"""POST api/v1/events: validate a batch, stamp the authenticated user, make it durable."""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from .. import metrics
from ..events import BatchError, parse_batch
from ..forwarder import CollectorRejected
from ..pipeline import QueueUnavailable
from .base import TrackerHandler


class EventsHandler(TrackerHandler):
    """Receives batches of events from the capture plugin (or any authenticated client)."""

    @web.authenticated
    @authorized
    async def post(self) -> None:
        """Accept a batch: 202 once durable, 4xx with the reason otherwise."""
        config = self.tracker.config
        body = self.request.body
        if len(body) > config.max_body_bytes:
            self._answer(
                413,
                {
                    "message": f"The body is {len(body)} bytes; at most "
                    f"{config.max_body_bytes} are accepted."
                },
            )
            return
        try:
            events = parse_batch(
                body,
                user_id=self.caller.user_id,
                max_events=config.max_batch_events,
                limits=self.tracker.limits,
            )
        except BatchError as err:
            self._answer(err.status, err.body())
            return
        tracker = await self.tracker.ready()
        try:
            await tracker.pipeline.accept(events)
        except QueueUnavailable as err:
            self.set_header("Retry-After", str(err.retry_after_s))
            self._answer(503, {"message": f"{err} Nothing was accepted; retry later."})
            return
        except CollectorRejected as err:  # forwarder mode: the collector refused the batch
            self._answer(err.status, err.body)
            return
        metrics.EVENTS_ACCEPTED.inc(len(events))
        self._answer(
            202,
            {
                "message": f"{len(events)} events received and queued",
                "processed_count": len(events),
            },
        )

    def _answer(self, status: int, body: dict) -> None:
        """Reply, counting refusals by status for /metrics."""
        if status >= 400:
            metrics.EVENTS_REJECTED.labels(str(status)).inc()
        self.reply(status, body)
