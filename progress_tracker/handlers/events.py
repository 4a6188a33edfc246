"""POST api/v1/events: validate a batch, stamp the authenticated user, make it durable."""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from .. import metrics
from ..errors import PayloadTooLarge, TrackerError
from ..events.batch import parse_batch
from .base import TrackerHandler


class EventsHandler(TrackerHandler):
    """Receives batches of events from the capture plugin (or any authenticated client)."""

    @web.authenticated
    @authorized
    async def post(self) -> None:
        """Accept a batch: 202 once durable, 4xx/503 with the reason otherwise."""
        try:
            count = await self._accept()
        except TrackerError as err:
            metrics.EVENTS_REJECTED.labels(str(err.status_code)).inc()
            raise
        metrics.EVENTS_ACCEPTED.inc(count)
        self.reply(
            202, {"message": f"{count} events received and queued", "processed_count": count}
        )

    async def _accept(self) -> int:
        intake = self.runtime.settings.intake
        body = self.request.body
        if len(body) > intake.max_body_bytes:
            raise PayloadTooLarge(
                f"The body is {len(body)} bytes; at most {intake.max_body_bytes} are accepted."
            )
        events = parse_batch(
            body,
            user_id=self.caller.user_id,
            max_events=intake.max_batch_events,
            limits=intake.text,
        )
        runtime = await self.runtime.ready()
        assert runtime.pipeline is not None
        await runtime.pipeline.accept(events)
        return len(events)
