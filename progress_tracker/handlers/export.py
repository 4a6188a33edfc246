"""GET api/v1/export.csv: the executions of a notebook and time window, as a CSV download."""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..store.read.export import csv_chunks
from .dashboard import DashboardHandler


class ExportHandler(DashboardHandler):
    """CSV export of the executions of a notebook and time window."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Stream the CSV, with user names pseudonymised on request."""
        notebook = self.get_argument("notebook", None)
        pseudonymise = self.get_argument("pseudonymise", "0").lower() in {"1", "true", "yes"}
        since, until = self.time_argument("since"), self.time_argument("until")
        key = self.runtime.pseudonym_key() if pseudonymise else None
        stem = (notebook or "all").replace("/", "_").removesuffix(".ipynb")
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="{stem}-executions.csv"')
        events = self.queries.stream_executions(notebook, since=since, until=until)
        async for chunk in csv_chunks(events, pseudonym_key=key):
            self.write(chunk)
            await self.flush()
        self.finish()
