"""The Jupyter Server extension: configuration, handlers and the lifecycle of the pipeline."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any

from jupyter_core.paths import jupyter_data_dir
from jupyter_server.extension.application import ExtensionApp
from traitlets import Bool, Enum, Float, Int, List, Unicode, default

from .authorizer import check_locked_down, disable_terminals, install_collector_authorizer
from .handlers import handler_routes
from .roles import role_of
from .tracker import Tracker


def _env(name: str) -> str:
    return os.environ.get(name, "")


class ProgressTracker(ExtensionApp):
    """Live learning analytics: receives cell executions, stores them, streams them to instructors."""

    name = "progress_tracker"
    load_other_extensions = True

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
    max_batch_events = Int(100, config=True, help="Most events accepted in one POST (else 413).")
    max_body_bytes = Int(
        2 * 1024 * 1024, config=True, help="Largest POST body accepted, in bytes (else 413)."
    )
    max_code_chars = Int(20_000, config=True, help="Code longer than this is stored truncated.")
    max_result_chars = Int(2_000, config=True, help="Results longer than this are truncated.")
    max_error_chars = Int(2_000, config=True, help="Error messages longer than this are truncated.")
    max_metadata_bytes = Int(4_096, config=True, help="Largest metadata object accepted (JSON).")
    instructor_groups = List(
        Unicode(),
        default_value=["instructors"],
        config=True,
        help="JupyterHub groups whose members may open the dashboard and its APIs.",
    )
    instructor_users = List(
        Unicode(), config=True, help="User names that may open the dashboard, besides the groups."
    )
    owner_name = Unicode(
        config=True,
        help="""Name under which the owner of a single-user server (no JupyterHub) is stored.
        Default: the operating-system account running the server.""",
    )
    capture_enabled = Bool(True, config=True, help="Whether browsers capture executions at all.")
    send_code = Bool(True, config=True, help="Whether browsers send the code of each cell run.")
    send_results = Bool(True, config=True, help="Whether browsers send a summary of each result.")
    send_error_messages = Bool(True, config=True, help="Whether browsers send error messages.")
    track_patterns = List(
        Unicode(),
        default_value=["**"],
        config=True,
        help="Glob patterns of notebook paths to capture (e.g. 'course/**').",
    )
    ignore_patterns = List(
        Unicode(), config=True, help="Glob patterns of notebook paths never captured."
    )
    flush_interval_ms = Int(
        2000, config=True, help="How long a browser gathers events before it sends a batch."
    )
    help_error_threshold = Int(
        3,
        config=True,
        help="Errors on one cell after which the dashboard lists a student as stuck.",
    )
    help_idle_minutes = Float(
        10, config=True, help="Minutes without activity after which a started student is listed."
    )
    pseudonym_secret = Unicode(
        config=True,
        help="""Key of the pseudonyms in exports (env PROGRESS_TRACKER_PSEUDONYM_SECRET). Default:
        a random key kept in the Jupyter data directory.""",
    )
    demo_class = Bool(
        False,
        config=True,
        help="Load a simulated class at start-up (and keep it active) so the dashboard has data.",
    )
    replay_limit = Int(
        10_000, config=True, help="Most events replayed to a reconnecting dashboard."
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

    @default("collector_url")
    def _default_collector_url(self) -> str:
        return _env("PROGRESS_TRACKER_URL")

    redis_key_prefix = Unicode(
        "progress-tracker",
        config=True,
        help="Prefix of every Redis key (stream, dead letters, live channel) of this deployment.",
    )
    stream_max_len = Int(
        1_000_000,
        config=True,
        help="""Most unconsumed batches (one stream entry per accepted POST) the Redis stream
        holds; beyond it POSTs get 503 and browsers retry later (nothing is dropped). Entries every
        sink has consumed are trimmed.""",
    )
    consumer_batch_size = Int(2000, config=True, help="Events a sink consumer writes per batch.")
    consumer_claim_idle_ms = Int(
        30_000,
        config=True,
        help="How long an entry read by a consumer may stay unacknowledged before another "
        "consumer reclaims it (the first is presumed dead).",
    )
    consumer_max_attempts = Int(
        5,
        config=True,
        help="Times a sink may reject an event as bad data before it goes to the dead letters.",
    )
    influxdb_url = Unicode(config=True, help="InfluxDB URL (env INFLUXDB_URL); empty: off.")
    influxdb_api = Enum(
        ["", "v1", "v2"],
        default_value="",
        config=True,
        help="'v2' (/api/v2/write: org, bucket, token; InfluxDB 2.x, 3.x, 1.8+) or 'v1' "
        "(/write: database, user, password; InfluxDB 1.x). Empty: v1 when only a database is set.",
    )
    influxdb_org = Unicode(config=True, help="InfluxDB v2 organisation (env INFLUXDB_ORG).")
    influxdb_bucket = Unicode(config=True, help="InfluxDB v2 bucket (env INFLUXDB_BUCKET).")
    influxdb_token = Unicode(config=True, help="InfluxDB v2 token (env INFLUXDB_TOKEN). Secret.")
    influxdb_database = Unicode(config=True, help="InfluxDB v1 database (env INFLUXDB_DATABASE).")
    influxdb_retention_policy = Unicode(config=True, help="InfluxDB v1 retention policy.")
    influxdb_username = Unicode(config=True, help="InfluxDB v1 user (env INFLUXDB_USERNAME).")
    influxdb_password = Unicode(
        config=True, help="InfluxDB v1 password (env INFLUXDB_PASSWORD). Secret."
    )

    @default("database_url")
    def _default_database_url(self) -> str:
        if _env("DATABASE_URL"):
            return _env("DATABASE_URL")
        path = Path(jupyter_data_dir()) / "progress_tracker" / "progress.sqlite"
        return f"sqlite+aiosqlite:///{path}"

    @default("redis_url")
    def _default_redis_url(self) -> str:
        return _env("REDIS_URL")

    @default("owner_name")
    def _default_owner_name(self) -> str:
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "owner"

    @default("pseudonym_secret")
    def _default_pseudonym_secret(self) -> str:
        return _env("PROGRESS_TRACKER_PSEUDONYM_SECRET")

    def _link_jupyter_server_extension(self, serverapp: Any) -> None:
        """Load configuration; a collector turns terminals off before they are set up."""
        super()._link_jupyter_server_extension(serverapp)
        if role_of(self).mode == "collector":
            disable_terminals(serverapp)

    def initialize_settings(self) -> None:
        """Create the tracker that handlers share; lock a collector down to the tracker's API."""
        if role_of(self).mode == "collector":
            install_collector_authorizer(self.serverapp, self.settings)
        self.tracker = Tracker(self, log=self.log)

    def initialize_handlers(self) -> None:
        """Route the API under the server's base_url."""
        self.handlers.extend(handler_routes(self.tracker))

    async def _start_jupyter_server_extension(self, serverapp: object) -> None:
        """Migrate the database and start background work once the event loop runs."""
        if role_of(self).mode == "collector":
            check_locked_down(serverapp)
        await self.tracker.start()

    async def stop_extension(self) -> None:
        """Stop background tasks and close connections."""
        await self.tracker.stop()
