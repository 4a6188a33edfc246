"""The tracker: the objects one server process shares between its handlers and background tasks."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jupyter_core.paths import jupyter_data_dir
from redis.asyncio import Redis
from sqlalchemy.engine.url import make_url

from .events import TextLimits
from .forwarder import Collector, ForwardingPipeline
from .identity import Caller, identify
from .live import LiveFeed
from .pipeline import DirectPipeline, Pipeline
from .queue.consumer import ConsumerSettings
from .queue.live import RedisLiveFeed
from .queue.pipeline import StreamPipeline
from .queue.stream import EventStream, StreamKeys
from .roles import role_of
from .sinks.database import DatabaseSink
from .sinks.influx import InfluxSink, influx_settings_from
from .store.dialect import create_engine, is_sqlite
from .store.queries import ProgressQueries
from .store.schema import upgrade_to_head
from .store.writer import EventWriter

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from .app import ProgressTracker


class Tracker:
    """Owns the engine, pipeline and live feed of one server; started once, stopped cleanly."""

    def __init__(self, config: ProgressTracker, log: logging.Logger | None = None):
        self.config = config
        self.log = log or logging.getLogger(__name__)
        self.engine: AsyncEngine | None = None
        self.pipeline: Pipeline | None = None
        self.queries: ProgressQueries | None = None
        self.live = LiveFeed()
        self.tasks: set[asyncio.Task[Any]] = set()
        self.redis: Redis | None = None
        self._closers: list[Callable[[], Awaitable[Any]]] = []
        self._started = False
        self._start_lock = asyncio.Lock()

    @property
    def limits(self) -> TextLimits:
        """Text bounds applied to incoming events."""
        return TextLimits(
            code_chars=self.config.max_code_chars,
            result_chars=self.config.max_result_chars,
            error_chars=self.config.max_error_chars,
            metadata_bytes=self.config.max_metadata_bytes,
        )

    def identify(self, user: Any) -> Caller:
        """The caller behind a request's authenticated user."""
        return identify(
            user,
            owner_name=self.config.owner_name,
            instructor_groups=self.config.instructor_groups,
            instructor_users=self.config.instructor_users,
        )

    @property
    def mode(self) -> str:
        """The role this process plays (configured, or resolved from JupyterHub's environment)."""
        return role_of(self.config).mode

    async def ready(self) -> Tracker:
        """Start on first use (tests and servers that skip the start hook)."""
        if not self._started:
            await self.start()
        return self

    async def start(self) -> None:
        """Migrate the database and start the pipeline (idempotent)."""
        async with self._start_lock:
            if self._started:
                return
            if self.mode == "forwarder":  # no database (nor its credentials) in a user server
                self.pipeline = self._build_pipeline()
                await self.pipeline.start()
                self._started = True
                return
            url = self.config.database_url
            if is_sqlite(url):
                _ensure_sqlite_folder(url)
            self.engine = create_engine(url, pool_size=self.config.database_pool_size)
            await upgrade_to_head(self.engine)
            self.queries = ProgressQueries(self.engine)
            self.pipeline = self._build_pipeline()
            await self.live.start()
            await self.pipeline.start()
            self._started = True
            self.log.info(
                "progress_tracker: %s mode, storing to %s",
                self.mode,
                make_url(url).render_as_string(hide_password=True),
            )
            if self.config.demo_class:
                from .demo import DemoClass

                self.spawn(DemoClass(self).run(), name="progress-tracker-demo")

    def _build_pipeline(self) -> Pipeline:
        """The pipeline this process runs, chosen by configuration."""
        if self.mode == "forwarder":
            return ForwardingPipeline(
                Collector.from_environment(role_of(self.config).collector_url)
            )
        if self.config.redis_url:
            return self._build_stream_pipeline()
        if influx_settings(self.config) is not None:
            self.log.warning("progress_tracker: InfluxDB is written only with redis_url set")
        return DirectPipeline(EventWriter(self.engine), self.live)

    def _build_stream_pipeline(self) -> Pipeline:
        """Redis Stream + one consumer per sink; live events fanned out through pub/sub."""
        config = self.config
        self.redis = Redis.from_url(config.redis_url, health_check_interval=30)
        keys = StreamKeys(config.redis_key_prefix)
        self.live = RedisLiveFeed(self.redis, keys.live)
        sinks: list[Any] = [DatabaseSink(EventWriter(self.engine))]
        settings = influx_settings(config)
        if settings is not None:
            influx = InfluxSink(settings)
            sinks.append(influx)
            self._closers.append(influx.close)
        self._closers.append(self.redis.aclose)
        return StreamPipeline(
            EventStream(self.redis, keys, max_len=config.stream_max_len),
            sinks,
            self.live,
            ConsumerSettings(
                batch_size=config.consumer_batch_size,
                claim_idle_ms=config.consumer_claim_idle_ms,
                max_attempts=config.consumer_max_attempts,
            ),
        )

    def spawn(self, coroutine: Any, *, name: str) -> asyncio.Task[Any]:
        """Run a background task that `stop` will cancel and await."""
        task = asyncio.get_running_loop().create_task(coroutine, name=name)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def stop(self, timeout_s: float = 10) -> None:
        """Cancel background tasks, stop the pipeline and dispose of connections."""
        if not self._started:
            return
        self._started = False
        for task in list(self.tasks):
            task.cancel()
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=timeout_s)
        if self.pipeline is not None:
            await self.pipeline.stop()
        await self.live.stop()
        for close in self._closers:
            await close()
        self._closers.clear()
        if self.engine is not None:
            await self.engine.dispose()
        self.engine = None

    def pseudonym_key(self) -> bytes:
        """The key of export pseudonyms: configured, or created once per data directory."""
        if self.config.pseudonym_secret:
            return self.config.pseudonym_secret.encode()
        path = Path(jupyter_data_dir()) / "progress_tracker" / "pseudonym.key"
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


def _ensure_sqlite_folder(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def influx_settings(config: ProgressTracker) -> Any:
    """The InfluxDB sink settings from the options (and INFLUXDB_* variables); None when off."""
    return influx_settings_from(
        url=config.influxdb_url,
        api=config.influxdb_api,
        org=config.influxdb_org,
        bucket=config.influxdb_bucket,
        token=config.influxdb_token,
        database=config.influxdb_database,
        retention_policy=config.influxdb_retention_policy,
        username=config.influxdb_username,
        password=config.influxdb_password,
    )
