"""Dead letters of the Redis pipeline: list them, and put them back on the queue."""

from __future__ import annotations

import json
from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..errors import BadRequest, NotFound
from .base import InstructorHandler


class DeadLettersHandler(InstructorHandler):
    """Entries a sink rejected for good, with their errors (any course's events: admins only)."""

    access = "admin"

    def dead_letters(self) -> Any:
        """The dead letters of the queue; 404 when this server runs no Redis pipeline."""
        stream = getattr(self.runtime.pipeline, "stream", None)
        if stream is None:
            raise NotFound("This server has no queue (no redis_url): no dead letters.")
        return stream.dead

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """List the oldest dead letters."""
        limit = self.int_argument("limit", 100, low=1, high=10_000)
        self.reply(200, {"deadLetters": await self.dead_letters().list(limit)})

    @web.authenticated
    @authorized
    async def post(self) -> None:
        """Replay dead letters: all of them, or the ids in `{"ids": [...]}`."""
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            raise BadRequest('The body must be JSON: {"ids": [...]} or {}.') from None
        ids = body.get("ids") if isinstance(body, dict) else None
        if ids is not None and not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
            raise BadRequest("ids must be a list of dead-letter ids.")
        self.reply(200, {"replayed": await self.dead_letters().replay(ids)})
