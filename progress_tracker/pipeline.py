"""How accepted events become durable: the embedded pipeline writes them straight to the database."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any, Protocol

from .events import Event
from .live import LiveFeed
from .store.writer import EventWriter

log = logging.getLogger(__name__)


class QueueUnavailable(Exception):
    """The durable queue cannot take events right now (the client should retry later)."""

    def __init__(self, message: str, retry_after_s: int = 5):
        super().__init__(message)
        self.retry_after_s = retry_after_s


class Pipeline(Protocol):
    """Takes accepted events; `accept` returns only once they are durable."""

    async def start(self) -> None: ...

    async def accept(self, events: Sequence[Event]) -> None: ...

    async def health(self) -> dict[str, Any]: ...

    async def stop(self) -> None: ...


class DirectPipeline:
    """Embedded default: commit each batch to the database, then push it to the live feed."""

    def __init__(self, writer: EventWriter, live: LiveFeed):
        self.writer = writer
        self.live = live
        # SQLite has one writer at a time; queueing here beats "database is locked" retries.
        self._write_lock = asyncio.Lock()
        self._stored = 0
        self._last_error: str | None = None

    async def start(self) -> None:
        """Nothing runs in the background."""

    async def accept(self, events: Sequence[Event]) -> None:
        """Store `events` (durable on return) and publish the new ones."""
        try:
            async with self._write_lock:
                new = await self.writer.write(events)
        except Exception as err:
            self._last_error = f"{type(err).__name__}: {err}"
            log.exception("progress_tracker: a batch could not be stored")
            raise QueueUnavailable(f"The database is unavailable: {type(err).__name__}") from err
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
