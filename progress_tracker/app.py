"""The Jupyter Server extension: its options, its handlers, and the lifecycle of its runtime."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any, ClassVar

from jupyter_core.paths import jupyter_data_dir
from jupyter_server.extension.application import ExtensionApp
from traitlets import Bool, Enum, Int, List, Unicode, default

from .access.mode import Role, resolve_role
from .config import (
    SECTIONS,
    CapturePolicy,
    Courses,
    EventIntake,
    EventQueue,
    InfluxDB,
    Privacy,
    ProgressDashboard,
    StreamConsumer,
)
from .config.deprecated import DeprecatedOptions, apply_renamed
from .errors import Unavailable
from .runtime import Runtime
from .settings import IdentitySettings, Settings


def _env(name: str) -> str:
    return os.environ.get(name, "")


class ProgressTracker(ExtensionApp, DeprecatedOptions):
    """Live learning analytics: receives cell executions, stores them, streams them to instructors.

    The options of each stage have their own sections: `c.EventIntake`, `c.CapturePolicy`,
    `c.ProgressDashboard`, `c.Courses`, `c.EventQueue`, `c.StreamConsumer`, `c.InfluxDB`, `c.Privacy`.
    """

    name = "progress_tracker"
    load_other_extensions = True
    classes: ClassVar[list[Any]] = [*ExtensionApp.classes, *SECTIONS]

    # Set once the extension loaded; None when it failed to (stop_extension must cope).
    runtime: Runtime | None = None
    role: Role | None = None

    mode = Enum(
        ["auto", "embedded", "collector", "forwarder"],
        default_value="auto",
        config=True,
        help="""Which part of the pipeline this server runs. 'embedded': everything in one process
        (the default outside JupyterHub). 'collector': the hub service that stores events and serves
        dashboards. 'forwarder': a user server that forwards its user's events to the collector.
        'auto' picks collector when JUPYTERHUB_SERVICE_NAME is `collector_service_name`, forwarder
        when a collector URL is known, embedded otherwise.""",
    )
    collector_service_name = Unicode(
        "progress-tracker",
        config=True,
        help="""Name of the JupyterHub service that runs the collector. In 'auto' mode a server
        whose JUPYTERHUB_SERVICE_NAME is this name is the collector, and user servers look this
        service up in the hub to find where to forward.""",
    )
    collector_url = Unicode(
        config=True,
        help="""Base URL of the collector that user servers forward to (env PROGRESS_TRACKER_URL),
        e.g. http://127.0.0.1:10101/services/progress-tracker/. Default: asked from the hub
        (needs the read:services!service=<name> scope on the server token), else the hub's
        public URL plus services/<name>/ (JUPYTERHUB_PUBLIC_HUB_URL).""",
    )
    database_url = Unicode(
        config=True,
        help="""SQLAlchemy async URL of the relational store (env DATABASE_URL), e.g.
        postgresql+asyncpg://user@host/db. Default: SQLite in the Jupyter data directory.""",
    )
    database_pool_size = Int(5, config=True, help="Connections kept open per process (PostgreSQL).")
    redis_url = Unicode(
        config=True,
        help="""Redis URL of the durable queue (env REDIS_URL). Empty: no Redis; each batch is
        committed to the database before the POST is answered.""",
    )
    instructor_groups = List(
        Unicode(),
        default_value=["instructors"],
        config=True,
        help="""JupyterHub groups of the instructors of the implicit course "default": the events
        that no course of `c.Courses` claims (see docs/courses.md).""",
    )
    instructor_users = List(
        Unicode(),
        config=True,
        help='User names of instructors of the implicit course "default", besides the groups.',
    )
    owner_name = Unicode(
        config=True,
        help="""Name under which the owner of a single-user server (no JupyterHub) is stored.
        Default: the operating-system account running the server.""",
    )
    pseudonym_secret = Unicode(
        config=True,
        help="""Key of the pseudonyms in exports (env PROGRESS_TRACKER_PSEUDONYM_SECRET). Default:
        a random key kept in the Jupyter data directory.""",
    )
    metrics_token = Unicode(
        config=True,
        help="""Token that lets a scraper (Prometheus) read /metrics of a collector, sent as
        `Authorization: Bearer <token>` (env PROGRESS_TRACKER_METRICS_TOKEN). A hub token with
        the read:metrics scope may read them too; nobody else may.""",
    )
    demo_class = Bool(
        False,
        config=True,
        help="""Run a simulated class so the dashboard has data. Only with the demo's own database:
        start it with `python -m progress_tracker.demo`, which prepares the demo folder (a real
        notebook and its database) and sets this.""",
    )

    @default("collector_url")
    def _default_collector_url(self) -> str:
        return _env("PROGRESS_TRACKER_URL")

    @default("database_url")
    def _default_database_url(self) -> str:
        if _env("DATABASE_URL"):
            return _env("DATABASE_URL")
        return f"sqlite+aiosqlite:///{self.data_dir / 'progress.sqlite'}"

    @default("redis_url")
    def _default_redis_url(self) -> str:
        return _env("REDIS_URL")

    @default("owner_name")
    def _default_owner_name(self) -> str:
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "owner"

    @default("metrics_token")
    def _default_metrics_token(self) -> str:
        return _env("PROGRESS_TRACKER_METRICS_TOKEN")

    @default("pseudonym_secret")
    def _default_pseudonym_secret(self) -> str:
        return _env("PROGRESS_TRACKER_PSEUDONYM_SECRET")

    @property
    def data_dir(self) -> Path:
        """Where the tracker keeps its files (SQLite database, pseudonym key)."""
        return Path(jupyter_data_dir()) / "progress_tracker"

    def _link_jupyter_server_extension(self, serverapp: Any) -> None:
        """Load configuration and resolve the mode once; a collector turns terminals off now."""
        super()._link_jupyter_server_extension(serverapp)
        self.role = resolve_role(
            mode=self.mode,
            service_name=self.collector_service_name,
            collector_url=self.collector_url,
            env=os.environ,
        )
        self.log.info("progress_tracker: %s mode (%s)", self.role.mode, self.role.reason)
        if self.role.mode == "collector":
            from .access.lockdown import disable_terminals

            disable_terminals(serverapp)  # before the terminals extension loads

    def settings_object(self) -> Settings:
        """The runtime's settings, read from every section of the configuration."""
        assert self.role is not None, "the extension is not linked"
        apply_renamed(self.config, self.log)
        return Settings(
            role=self.role,
            data_dir=self.data_dir,
            database_url=self.database_url,
            database_pool_size=self.database_pool_size,
            redis_url=self.redis_url,
            pseudonym_secret=self.pseudonym_secret,
            demo_class=self.demo_class,
            identity=IdentitySettings(
                owner_name=self.owner_name,
                instructor_groups=tuple(self.instructor_groups),
                instructor_users=tuple(self.instructor_users),
            ),
            intake=EventIntake(parent=self).settings(),
            capture=CapturePolicy(parent=self).settings(),
            dashboard=ProgressDashboard(parent=self).settings(),
            courses=Courses(parent=self).settings(),
            queue=EventQueue(parent=self).settings(),
            consumer=StreamConsumer(parent=self).settings(),
            influx=InfluxDB(parent=self).settings(),
            privacy=Privacy(parent=self).settings(),
        )

    def initialize_settings(self) -> None:
        """Create the runtime that handlers share; lock a collector down to the tracker's API."""
        if self.role is not None and self.role.mode == "collector":
            from .access.lockdown import install_collector_authorizer

            install_collector_authorizer(
                self.serverapp, self.settings, metrics_token=self.metrics_token
            )
        self.runtime = Runtime(self.settings_object(), log=self.log)

    def initialize_handlers(self) -> None:
        """Route this mode's API under the server's base_url."""
        from .handlers import handler_routes

        assert self.runtime is not None
        routes = handler_routes(self.runtime)
        self.handlers.extend(routes)
        if self.runtime.settings.dashboard.compress_responses:
            from .handlers.compression import compress_responses

            compress_responses(self.serverapp.web_app)
        if self.runtime.mode == "collector":
            from .access.lockdown import install_allow_list

            install_allow_list(self.serverapp, [pattern for pattern, *_ in routes])

    async def _start_jupyter_server_extension(self, serverapp: object) -> None:
        """Migrate the database and start background work once the event loop runs."""
        if self.runtime is None:
            return
        if self.runtime.mode == "collector":
            from .access.lockdown import check_locked_down

            check_locked_down(serverapp, metrics_token=self.metrics_token)
        try:
            await self.runtime.ready()
        except Unavailable:
            pass  # logged; requests retry the start and answer 503 until it succeeds

    async def stop_extension(self) -> None:
        """Stop background tasks and close connections (safe if the extension never loaded)."""
        if self.runtime is not None:
            await self.runtime.stop()
