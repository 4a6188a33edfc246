"""Stored executions read back in order: a student's timeline and exports.

(A dashboard that reconnects catches up from the live feed itself, by sequence number: see
`live/`. No query by time can replay exactly what was missed.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from ...courses.scope import Scope
from ...events import Event
from ..models import CellExecution
from .rows import execution_columns, execution_event, filtered
from .scoping import EVERYTHING, NotebookKey


async def executions(
    engine: AsyncEngine,
    notebook: str | NotebookKey | None = None,
    *,
    user: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 1000,
    scope: Scope = EVERYTHING,
) -> list[Event]:
    """Stored cell executions in scope, oldest first, filtered by notebook, student and time."""
    stmt = filtered(execution_columns(), notebook, user, since, until, scope)
    stmt = stmt.order_by(CellExecution.event_time.desc(), CellExecution.id.desc()).limit(limit)
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    return [execution_event(row) for row in reversed(rows)]


async def stream_executions(
    engine: AsyncEngine,
    notebook: str | NotebookKey | None,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    chunk: int = 2000,
    scope: Scope = EVERYTHING,
) -> AsyncIterator[Event]:
    """Every matching execution in scope, oldest first, read in chunks (for exports)."""
    columns = execution_columns().add_columns(CellExecution.id.label("row_id"))
    stmt = filtered(columns, notebook, None, since, until, scope)
    last_id = 0
    while True:
        page = stmt.where(CellExecution.id > last_id).order_by(CellExecution.id).limit(chunk)
        async with engine.connect() as conn:
            rows = (await conn.execute(page)).all()
        for row in rows:
            yield execution_event(row)
        if len(rows) < chunk:
            return
        last_id = rows[-1].row_id
