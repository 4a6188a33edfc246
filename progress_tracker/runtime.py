"""The runtime: what one server process shares between its handlers and its background tasks.

Built from a `Settings` object (never the traitlets app). Each mode imports only what it uses: a
forwarder (every student's server on a hub) loads no database, queue or InfluxDB code at all.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .access.identity import Caller, identify
from .errors import Unavailable
from .live.feed import LiveFeed
from .tasks import BackgroundTasks

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from .access.budget import Ledger
    from .pipelines import Pipeline
    from .settings import Settings
    from .store.read import ProgressQueries


class Runtime:
    """Owns the engine, pipeline, live feed and tasks of one server; started once, stopped cleanly.

    `start` and `stop` may run in any order and any number of times: `stop` releases whatever a
    (possibly failed, possibly never attempted) start created.
    """

    def __init__(self, settings: Settings, log: logging.Logger | None = None):
        self.settings = settings
        self.log = log or logging.getLogger(__name__)
        self.tasks = BackgroundTasks()
        self.live = LiveFeed()
        self.engine: AsyncEngine | None = None
        self.pipeline: Pipeline | None = None
        self.queries: ProgressQueries | None = None
        # Per-user budgets; a forwarder has none (its collector keeps them).
        self.ledger: Ledger | None = None
        self._closers: list[Callable[[], Awaitable[Any]]] = []
        self._started = False
        self._start_lock = asyncio.Lock()

    @property
    def mode(self) -> str:
        """The role this process plays: 'embedded', 'collector' or 'forwarder'."""
        return self.settings.mode

    def identify(self, user: Any) -> Caller:
        """The caller behind a request's authenticated user."""
        identity = self.settings.identity
        return identify(
            user,
            owner_name=identity.owner_name,
            instructor_groups=identity.instructor_groups,
            instructor_users=identity.instructor_users,
        )

    async def ready(self) -> Runtime:
        """The started runtime; started on first use (and retried while a store is down).

        Raises `errors.Unavailable` (503) when it cannot start now, e.g. the database is down.
        """
        if not self._started:
            try:
                await self.start()
            except Exception as err:
                self.log.warning("progress_tracker: cannot start yet: %s", err)
                await self.stop()  # release what the failed start created; the next call retries
                raise Unavailable(
                    f"The progress tracker cannot start ({type(err).__name__})."
                ) from err
        return self

    async def start(self) -> None:
        """Build and start this mode's pipeline (migrating the database first); idempotent."""
        async with self._start_lock:
            if self._started:
                return
            if self.mode == "forwarder":
                await self._start_forwarder()
            else:
                await self._start_storing()
            self._started = True

    async def _start_forwarder(self) -> None:
        # No database, queue or their credentials in a user server: only an HTTP client.
        from .pipelines.collector import Collector
        from .pipelines.forward import ForwardingPipeline

        collector = Collector.from_environment(self.settings.role.collector_url)
        self.pipeline = ForwardingPipeline(collector)
        await self.pipeline.start(self.tasks)

    async def _start_storing(self) -> None:
        from sqlalchemy.engine.url import make_url

        from .store.engine import create_engine, ensure_sqlite_folder
        from .store.migrations import upgrade_to_head
        from .store.read import ProgressQueries

        url = self.settings.database_url
        ensure_sqlite_folder(url)
        self.engine = create_engine(url, pool_size=self.settings.database_pool_size)
        await upgrade_to_head(self.engine)
        self.queries = ProgressQueries(self.engine)
        if self.settings.redis_url:
            self.pipeline = await self._stream_pipeline()
        else:
            self.pipeline = self._direct_pipeline()
        self.ledger = self._ledger()
        await self.live.start(self.tasks)
        await self.pipeline.start(self.tasks)
        self.log.info(
            "progress_tracker: %s mode, storing to %s",
            self.mode,
            make_url(url).render_as_string(hide_password=True),
        )
        if self.settings.demo_class:
            from .demo import DemoClass

            self.tasks.spawn(DemoClass(self).run(), name="progress-tracker-demo")

    def _direct_pipeline(self) -> Pipeline:
        from .pipelines.direct import DirectPipeline
        from .sinks.database import DatabaseSink
        from .store.writer import EventWriter

        if self.settings.influx is not None:
            self.log.warning("progress_tracker: InfluxDB is written only with redis_url set")
        assert self.engine is not None
        return DirectPipeline(DatabaseSink(EventWriter(self.engine)), self.live)

    async def _stream_pipeline(self) -> Pipeline:
        """Redis Stream + one consumer per sink; live events fanned out through pub/sub."""
        from redis.asyncio import Redis

        from .live.redis import RedisLiveFeed
        from .pipelines.stream import StreamPipeline
        from .queue.keys import StreamKeys
        from .queue.stream import EventStream
        from .sinks import Sink
        from .sinks.database import DatabaseSink
        from .store.writer import EventWriter

        settings = self.settings
        assert self.engine is not None
        redis = Redis.from_url(settings.redis_url, health_check_interval=30)
        self._closers.append(redis.aclose)
        keys = StreamKeys(settings.queue.key_prefix)
        self.live = RedisLiveFeed(redis, keys.live)
        sinks: list[Sink] = [DatabaseSink(EventWriter(self.engine))]
        if settings.influx is not None:
            from .sinks.influx import InfluxSink

            influx = InfluxSink(settings.influx)
            sinks.append(influx)
            self._closers.append(influx.close)
        return StreamPipeline(
            EventStream(redis, keys, max_len=settings.queue.max_entries),
            sinks,
            self.live,
            settings.consumer,
        )

    def _ledger(self) -> Ledger:
        """Per-user budgets: in Redis when there is one (shared by replicas), else in process."""
        budget = self.settings.intake.per_user
        if self.redis is not None:
            from .access.budget_redis import RedisLedger

            return RedisLedger(self.redis, self.settings.queue.key_prefix, budget)
        from .access.budget import InProcessLedger

        return InProcessLedger(budget)

    @property
    def redis(self) -> Any:
        """The Redis client of a collector's queue (None without one)."""
        stream = getattr(self.pipeline, "stream", None)
        return stream.redis if stream is not None else None

    async def stop(self, timeout_s: float = 10) -> None:
        """Cancel background tasks, stop the pipeline and release every connection."""
        self._started = False
        await self.tasks.stop(timeout_s)
        if self.pipeline is not None:
            await self.pipeline.stop()
        await self.live.stop()
        closers, self._closers = self._closers, []
        for close in reversed(closers):
            try:
                await close()
            except Exception:  # a connection that is gone already must not block shutdown
                self.log.warning("progress_tracker: a close failed during stop", exc_info=True)
        if self.engine is not None:
            engine, self.engine = self.engine, None
            await engine.dispose()

    def pseudonym_key(self) -> bytes:
        """The key of export pseudonyms: configured, or created once per data directory."""
        if self.settings.pseudonym_secret:
            return self.settings.pseudonym_secret.encode()
        path = Path(self.settings.data_dir) / "pseudonym.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process created it first
            else:
                with os.fdopen(fd, "w") as handle:
                    handle.write(secrets.token_hex(32))
        return path.read_text().strip().encode()
