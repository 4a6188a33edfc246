"""The runtime: what one server process shares between its handlers and its background tasks.

Built from a `Settings` object (never the traitlets app). Each mode imports only what it uses: a
forwarder (every student's server on a hub) loads no database, queue or InfluxDB code at all.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .access.identity import Caller, identify
from .courses.roles import RoleResolver
from .errors import Unavailable
from .live.feed import LiveFeed
from .startup import freeze_startup_objects
from .tasks import BackgroundTasks

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from .access.budget import Ledger
    from .pipelines import Pipeline
    from .privacy.service import PrivacyService
    from .settings import Settings
    from .store.assignments import AssignmentRegistry
    from .store.read import ProgressQueries


# A runtime that failed to start tries again on a request at most this often.
RETRY_START_S = 1.0


def _reason(err: Exception) -> str:
    """Why a start failed, as an operator can act on it (the fix, for a refused Redis)."""
    if getattr(err, "names_the_fix", False):
        return str(err)
    return f"{type(err).__name__}: {str(err)[:300]}"


def route_package_logs(server_log: logging.Logger) -> None:
    """Send the records of the package's own loggers (pipeline, queue, sinks, live feed) through
    the server's log: its handler adds level and time, and their INFO lines are kept (without
    this they reach Python's last-resort handler: warnings only, message only)."""
    package = logging.getLogger(__name__.partition(".")[0])
    if server_log is not package and package not in _ancestors(server_log):
        package.parent = server_log  # as jupyter_server does for tornado's loggers
        package.propagate = True


def _ancestors(logger: logging.Logger) -> list[logging.Logger]:
    found = []
    parent = logger.parent
    while parent is not None:
        found.append(parent)
        parent = parent.parent
    return found


class Runtime:
    """Owns the engine, pipeline, live feed and tasks of one server; started once, stopped cleanly.

    `start` and `stop` may run in any order and any number of times: `stop` releases whatever a
    (possibly failed, possibly never attempted) start created.
    """

    def __init__(self, settings: Settings, log: logging.Logger | None = None):
        self.settings = settings
        self.log = log or logging.getLogger(__name__)
        if log is not None:
            route_package_logs(log)
        self.tasks = BackgroundTasks()
        self.live = LiveFeed(settings.dashboard)
        self.engine: AsyncEngine | None = None
        self.pipeline: Pipeline | None = None
        self.queries: ProgressQueries | None = None
        self.assignments: AssignmentRegistry | None = None
        # Per-user budgets; a forwarder has none (its collector keeps them).
        self.ledger: Ledger | None = None
        # Consent, audit, retention and subject rights; a forwarder has none (its collector has).
        self.privacy: PrivacyService | None = None
        self._closers: list[Callable[[], Awaitable[Any]]] = []
        self._started = False
        self._start_lock = asyncio.Lock()
        self._start_failure: tuple[float, str] | None = None
        self.roles = RoleResolver(settings.courses)

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
            resolver=self.roles,
        )

    async def ready(self) -> Runtime:
        """The started runtime; started on first use (and retried while a store is down).

        Raises `errors.Unavailable` (503) when it cannot start now, e.g. the database is down
        or Redis does not persist; a failed start is tried again at most every RETRY_START_S.
        """
        if self._started:
            return self
        failed = self._start_failure
        if failed is not None and time.monotonic() - failed[0] < RETRY_START_S:
            raise Unavailable(failed[1])
        try:
            await self.start()
        except Exception as err:
            message = f"The progress tracker cannot start: {_reason(err)}"
            if failed is None or failed[1] != message:
                self.log.error("progress_tracker: %s", message)
            self._start_failure = (time.monotonic(), message)
            await self.stop()  # release what the failed start created; the next call retries
            raise Unavailable(message) from err
        self._start_failure = None
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

        from .store.assignments import AssignmentRegistry
        from .store.engine import create_engine, ensure_sqlite_folder
        from .store.migrations import upgrade_to_head
        from .store.read import ProgressQueries

        url = self.settings.database_url
        ensure_sqlite_folder(url)
        self.engine = create_engine(url, pool_size=self.settings.database_pool_size)
        await upgrade_to_head(self.engine)
        self.queries = ProgressQueries(self.engine)
        self.assignments = AssignmentRegistry(self.engine)
        if self.settings.redis_url:
            self.pipeline = await self._stream_pipeline()
        else:
            self.pipeline = self._direct_pipeline()
        self.ledger = self._ledger()
        from .privacy.service import start_privacy

        self.privacy = start_privacy(self)
        await self.live.start(self.tasks)
        if self.redis is not None:  # claims and resolutions reach every collector process
            from .help.relay import RedisHelpRelay

            relay = RedisHelpRelay.of(self)
            await relay.start(self.tasks)
            self._closers.append(relay.stop)
        await self.pipeline.start(self.tasks)
        freeze_startup_objects()
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
        """Redis Stream + one consumer per sink; live events on a capped stream of their own."""
        from .live.redis import RedisLiveFeed
        from .pipelines.stream import StreamPipeline
        from .queue.connection import OPEN_DOOR, connect, needs_no_password, where
        from .queue.keys import StreamKeys
        from .queue.stream import EventStream
        from .sinks import Sink
        from .sinks.database import DatabaseSink
        from .store.writer import EventWriter

        settings = self.settings
        assert self.engine is not None
        redis = connect(settings.redis_url)
        self._closers.append(redis.aclose)
        keys = StreamKeys(settings.queue.key_prefix)
        self.live = RedisLiveFeed(
            redis,
            keys.live,
            keys.live_identity,
            settings.dashboard,
            backoff=settings.consumer.backoff,
        )
        writers = settings.consumer.database_writers if self.engine.dialect.name != "sqlite" else 1
        sinks: list[Sink] = [DatabaseSink(EventWriter(self.engine)) for _ in range(writers)]
        if settings.influx is not None:
            from .sinks.influx import InfluxSink

            influx = InfluxSink(settings.influx)
            sinks.append(influx)
            self._closers.append(influx.close)
        queue = settings.queue
        pipeline = StreamPipeline(
            EventStream(redis, keys, max_len=queue.max_entries, max_bytes=queue.max_bytes),
            sinks,
            self.live,
            settings.consumer,
            queue=settings.queue,
            where=where(settings.redis_url),
        )
        if await needs_no_password(settings.redis_url):
            warning = OPEN_DOOR.format(where=where(settings.redis_url))
            self.log.warning("progress_tracker: WARNING %s", warning)
            pipeline.warnings.append(warning)
        return pipeline

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
