"""The instructor APIs behind the dashboard, and the caller's own identity and settings."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io

from jupyter_server.auth.decorator import authorized
from tornado import web

from .base import TrackerHandler

EXPORT_COLUMNS = [
    "eventId",
    "userId",
    "notebookPath",
    "cellId",
    "cellIndex",
    "cellType",
    "eventTime",
    "receivedAt",
    "executionCount",
    "hasError",
    "errorMessage",
    "executionDurationMs",
    "code",
    "result",
]


class MeHandler(TrackerHandler):
    """Who the caller is, as the tracker sees them."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Answer the caller's name, instructor flag and the server's mode."""
        caller = self.caller
        self.reply(
            200,
            {
                "userId": caller.user_id,
                "isInstructor": caller.is_instructor,
                "mode": self.tracker.mode,
            },
        )


class SettingsHandler(TrackerHandler):
    """What the capture plugin must honour (operator and privacy settings)."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Answer the capture settings configured by the operator."""
        config = self.tracker.config
        self.reply(
            200,
            {
                "captureEnabled": config.capture_enabled,
                "sendCode": config.send_code,
                "sendResults": config.send_results,
                "sendErrorMessages": config.send_error_messages,
                "trackPatterns": list(config.track_patterns),
                "ignorePatterns": list(config.ignore_patterns),
                "maxBatchEvents": config.max_batch_events,
                "flushIntervalMs": config.flush_interval_ms,
                "helpErrorThreshold": config.help_error_threshold,
                "helpIdleMinutes": config.help_idle_minutes,
            },
        )


class ProgressHandler(TrackerHandler):
    """The snapshot a dashboard loads first."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Per student and cell: status, attempts, errors, last error; and the notebooks."""
        self.require_instructor()
        tracker = await self.tracker.ready()
        self.reply(200, await tracker.queries.progress(self.get_argument("notebook", None)))


class ExecutionsHandler(TrackerHandler):
    """Stored executions of a notebook, optionally of one student (their timeline)."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """List executions, oldest first."""
        self.require_instructor()
        tracker = await self.tracker.ready()
        events = await tracker.queries.executions(
            self.get_argument("notebook", None),
            user=self.get_argument("user", None),
            since=self.time_argument("since"),
            until=self.time_argument("until"),
            limit=self.int_argument("limit", 1000, low=1, high=10_000),
        )
        self.reply(200, {"executions": [event.to_wire() for event in events]})


class ErrorsHandler(TrackerHandler):
    """Distinct errors per cell of a notebook."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Group the errors of each cell, most widespread first."""
        self.require_instructor()
        notebook = self.get_argument("notebook")
        tracker = await self.tracker.ready()
        self.reply(200, {"cells": await tracker.queries.errors(notebook)})


class PaceHandler(TrackerHandler):
    """Executions and errors over time, and how far the class has got."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Answer the per-bucket series of a notebook."""
        self.require_instructor()
        notebook = self.get_argument("notebook")
        bucket = self.int_argument("bucket", 60, low=10, high=24 * 3600)
        tracker = await self.tracker.ready()
        series = await tracker.queries.pace(notebook, bucket_s=bucket)
        self.reply(200, {"bucketSeconds": bucket, "series": series})


class ExportHandler(TrackerHandler):
    """CSV export of the executions of a notebook and time window."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Stream the CSV, with user names pseudonymised on request."""
        self.require_instructor()
        notebook = self.get_argument("notebook", None)
        pseudonymise = self.get_argument("pseudonymise", "0").lower() in {"1", "true", "yes"}
        since, until = self.time_argument("since"), self.time_argument("until")
        tracker = await self.tracker.ready()
        key = tracker.pseudonym_key() if pseudonymise else None
        stem = (notebook or "all").replace("/", "_").removesuffix(".ipynb")
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="{stem}-executions.csv"')
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        async for event in tracker.queries.stream_executions(notebook, since=since, until=until):
            row = event.to_wire()
            if key is not None:
                row["userId"] = pseudonym(key, row["userId"])
            writer.writerow({name: spreadsheet_safe(value) for name, value in row.items()})
            if buffer.tell() > 64 * 1024:
                self.write(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()
                await self.flush()
        self.finish(buffer.getvalue())


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet will not run as a formula (student code can start with '=')."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def pseudonym(key: bytes, user_id: str) -> str:
    """A stable pseudonym: the same user gets the same one under the same key."""
    digest = hmac.new(key, user_id.encode(), hashlib.sha256).hexdigest()
    return f"student-{digest[:12]}"


class HealthHandler(TrackerHandler):
    """Pipeline health for instructors and operators."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Queue and sink state of this process."""
        self.require_instructor()
        tracker = await self.tracker.ready()
        health = await tracker.pipeline.health()
        health["mode"] = tracker.mode
        health["liveListeners"] = tracker.live.listener_count
        self.reply(200, health)
