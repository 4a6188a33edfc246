"""GET api/v1/export.csv: the executions of a notebook and time window, as a CSV download."""

from __future__ import annotations

import re
import urllib.parse

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..store.read.export import csv_chunks
from .audit_hook import audit_access
from .dashboard import DashboardHandler


class ExportHandler(DashboardHandler):
    """CSV export of the executions of a notebook and time window."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Stream the CSV, with user names pseudonymised on request."""
        notebook = self.exercise_argument()
        pseudonymise = self.get_argument("pseudonymise", "0").lower() in {"1", "true", "yes"}
        since, until = self.time_argument("since"), self.time_argument("until")
        key = self.runtime.pseudonym_key() if pseudonymise else None
        await audit_access(self, "export", target=self.exercise_name(), pseudonymised=pseudonymise)
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        name = f"assignment-{notebook[0]}" if isinstance(notebook, tuple) else notebook
        self.set_header("Content-Disposition", attachment(name))
        events = self.queries.stream_executions(
            notebook, since=since, until=until, scope=self.scope()
        )
        async for chunk in csv_chunks(events, pseudonym_key=key):
            self.write(chunk)
            await self.flush()
        self.finish()


# What a file name never carries: path separators, quotes, control characters (CR/LF included).
_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f/\\"]')


def attachment(notebook: str | None) -> str:
    """An RFC 6266 Content-Disposition naming the export after its notebook, for any path.

    The UTF-8 name goes in `filename*` (RFC 5987, percent-encoded); `filename` is an ASCII
    fallback for old clients. Neither can break out of the header.
    """
    stem = _UNSAFE_IN_NAME.sub("_", (notebook or "all").removesuffix(".ipynb")) or "notebook"
    name = f"{stem}-executions.csv"
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    return (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{urllib.parse.quote(name, safe='')}"
    )
