"""Dead letters of the Redis pipeline: list them, and put them back on the queue."""

from __future__ import annotations

import json

from jupyter_server.auth.decorator import authorized
from tornado import web

from .base import TrackerHandler


class DeadLettersHandler(TrackerHandler):
    """Entries a sink rejected `consumer_max_attempts` times, with their errors."""

    def stream(self):
        """The event stream, or 404 when this server runs no Redis pipeline."""
        pipeline = self.tracker.pipeline
        stream = getattr(pipeline, "stream", None)
        if stream is None:
            raise web.HTTPError(404, "This server has no queue (no redis_url): no dead letters.")
        return stream

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """List the oldest dead letters."""
        self.require_instructor()
        await self.tracker.ready()
        limit = self.int_argument("limit", 100, low=1, high=10_000)
        self.reply(200, {"deadLetters": await self.stream().dead_letters(limit)})

    @web.authenticated
    @authorized
    async def post(self) -> None:
        """Replay dead letters: all of them, or the ids in `{"ids": [...]}`."""
        self.require_instructor()
        await self.tracker.ready()
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            raise web.HTTPError(400, 'The body must be JSON: {"ids": [...]} or {}.') from None
        ids = body.get("ids") if isinstance(body, dict) else None
        if ids is not None and not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
            raise web.HTTPError(400, "ids must be a list of dead-letter ids.")
        replayed = await self.stream().replay_dead_letters(ids)
        self.reply(200, {"replayed": replayed})
