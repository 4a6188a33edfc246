"""The embedded pipeline: each batch is committed through the database sink before the 202."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import InvalidEvents, Unavailable
from ..events import Event
from ..live.feed import LiveFeed
from ..sinks import SinkError
from ..sinks.database import DatabaseSink

if TYPE_CHECKING:
    from ..tasks import BackgroundTasks

log = logging.getLogger(__name__)


class DirectPipeline:
    """Commit each batch, then push what was new to the live feed.

    Writes go through the same `DatabaseSink` as the collector's consumer, so both modes tell bad
    data (422: retrying cannot help) from an outage (503: retry later) the same way. Validation
    makes bad data rare; anything unexpected while writing is bad data too (422, logged with its
    traceback): a 503 would make the browser retry the same batch for ever.
    """

    def __init__(self, sink: DatabaseSink, live: LiveFeed):
        self.sink = sink
        self.live = live
        # SQLite has one writer at a time; queueing here beats "database is locked" retries.
        self._write_lock = asyncio.Lock()
        self._stored = 0
        self._last_error: str | None = None

    async def start(self, tasks: BackgroundTasks) -> None:
        """Nothing runs in the background."""

    async def accept(self, events: Sequence[Event]) -> None:
        """Store `events` (durable on return) and publish the new ones."""
        try:
            async with self._write_lock:
                new = await self.sink.write(events)
        except SinkError as err:
            self._last_error = str(err)
            if err.retryable:
                log.warning("progress_tracker: the database is unavailable: %s", err)
                raise Unavailable(f"The database is unavailable ({err}).") from err
            log.warning("progress_tracker: a batch was refused by the database: %s", err)
            raise InvalidEvents(f"The database refused this batch: {err}") from err
        except Exception as err:
            self._last_error = f"{type(err).__name__}: {err}"
            log.exception("progress_tracker: a batch could not be stored")
            raise InvalidEvents(
                f"This batch could not be stored ({type(err).__name__}); nothing was accepted."
            ) from err
        self._last_error = None
        self._stored += len(new)
        await self.live.publish(new)

    async def health(self) -> dict[str, Any]:
        """Counters of the embedded pipeline."""
        return {
            "pipeline": "direct",
            "sinks": {"database": {"stored": self._stored, "lastError": self._last_error}},
        }

    async def stop(self) -> None:
        """Wait for a write in progress to finish."""
        async with self._write_lock:
            pass
