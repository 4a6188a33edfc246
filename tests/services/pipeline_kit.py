"""Building blocks for pipeline tests: a migrated database and a Redis stream pipeline."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Self

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from progress_tracker.config import ConsumerSettings, QueueSettings
from progress_tracker.events import Event, EventType
from progress_tracker.live.feed import LiveFeed
from progress_tracker.pipelines.stream import StreamPipeline
from progress_tracker.queue.connection import connect
from progress_tracker.queue.durability import QueueGuard
from progress_tracker.queue.keys import StreamKeys
from progress_tracker.queue.stream import EventStream
from progress_tracker.sinks.database import DatabaseSink
from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import upgrade_to_head
from progress_tracker.store.models import CellExecution
from progress_tracker.store.writer import EventWriter
from progress_tracker.tasks import BackgroundTasks


def event(user: str = "student1", **fields: Any) -> Event:
    """A stamped cell execution, as the ingestion handler produces it."""
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "event_id": f"evt-{uuid.uuid4().hex}",
        "event_type": EventType.CELL_EXECUTED,
        "event_time": now,
        "received_at": now,
        "user_id": user,
        "notebook_path": "lab1.ipynb",
        "cell_id": "cell-1",
        "cell_index": 0,
        "cell_type": "code",
        "code": "1 + 1",
        "execution_count": 1,
        "has_error": False,
        "execution_duration_ms": 3.0,
    }
    values.update(fields)
    return Event(**values)


class Kit:
    """A migrated database, a Redis stream under a private prefix, and pipelines on them."""

    def __init__(self, database_url: str, redis_url: str, prefix: str):
        self.database_url = database_url
        self.redis_url = redis_url
        self.keys = StreamKeys(prefix)
        self.engine = create_engine(database_url)
        # The test reads on connections of its own (a new one each time), so that faults it
        # injects into the pipeline's connections never fail its own checks.
        self.reader = create_async_engine(database_url, poolclass=NullPool)
        self.redis = connect(redis_url)  # the collector's own client (retries stale connections)
        self.pipelines: list[StreamPipeline] = []
        self.tasks = BackgroundTasks()

    async def __aenter__(self) -> Self:
        await upgrade_to_head(self.engine)
        # As a collector does at start: check Redis (accepting the shared one, which persists
        # nothing), so that appends are taken before any pipeline runs.
        await QueueGuard(self.redis, self.keys, self.volatile, "shared redis").verify()
        return self

    @property
    def volatile(self) -> QueueSettings:
        return QueueSettings(key_prefix=self.keys.prefix, allow_volatile=True)

    async def __aexit__(self, *exc: object) -> None:
        await self.tasks.stop()
        for pipeline in self.pipelines:
            await pipeline.stop()
        await self.redis.aclose()
        await self.engine.dispose()
        await self.reader.dispose()

    def stream(self, max_len: int = 1_000_000, max_bytes: int = 1024**3) -> EventStream:
        return EventStream(self.redis, self.keys, max_len=max_len, max_bytes=max_bytes)

    async def pipeline(
        self,
        sinks: Sequence[Any] | None = None,
        live: LiveFeed | None = None,
        queue: QueueSettings | None = None,
        **settings: Any,
    ) -> StreamPipeline:
        """A started pipeline; stopped when the kit closes.

        The machine's shared Redis persists nothing: the kit accepts that (allow_volatile)
        unless given queue settings; the durability tests run Redis servers of their own.
        """
        queue = queue or self.volatile
        pipeline = StreamPipeline(
            self.stream(queue.max_entries, queue.max_bytes),
            sinks if sinks is not None else [DatabaseSink(EventWriter(self.engine))],
            live or LiveFeed(),
            ConsumerSettings(**{"block_ms": 100, "retry_backoff_s": 0.05, **settings}),
            queue=queue,
            trim_interval_s=0.2,
        )
        await pipeline.start(self.tasks)
        self.pipelines.append(pipeline)
        return pipeline

    async def stored(self) -> int:
        """How many cell executions the database holds."""
        async with self.reader.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(CellExecution)))

    async def stored_ids(self) -> list[str]:
        """The event ids the database holds (with repeats, if any)."""
        async with self.reader.connect() as conn:
            return list((await conn.execute(select(CellExecution.event_id))).scalars())


async def eventually(check: Callable[[], Any], timeout: float = 20.0, interval: float = 0.05):
    """Wait until an async check returns a truthy value; return it."""
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s (last value: {value!r})")
        await asyncio.sleep(interval)
