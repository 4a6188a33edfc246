"""Stored executions read back in order: a student's timeline, exports, and live catch-up."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

from sqlalchemy import func, select, union_all
from sqlalchemy.ext.asyncio import AsyncEngine

from ...events import Event
from ..models import CellExecution, NotebookEvent
from .rows import execution_columns, execution_event, filtered, utc


async def executions(
    engine: AsyncEngine,
    notebook: str | None = None,
    *,
    user: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 1000,
) -> list[Event]:
    """Stored cell executions, oldest first, filtered by notebook, student and time."""
    stmt = filtered(execution_columns(), notebook, user, since, until)
    stmt = stmt.order_by(CellExecution.event_time.desc(), CellExecution.id.desc()).limit(limit)
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    return [execution_event(row) for row in reversed(rows)]


async def stream_executions(
    engine: AsyncEngine,
    notebook: str | None,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    chunk: int = 2000,
) -> AsyncIterator[Event]:
    """Every matching execution, oldest first, read in chunks (for exports)."""
    columns = execution_columns().add_columns(CellExecution.id.label("row_id"))
    stmt = filtered(columns, notebook, None, since, until)
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


async def events_since(
    engine: AsyncEngine, event_id: str, *, margin_s: float = 60, limit: int = 10_000
):
    """Executions received since `event_id` (minus a margin for out-of-order commits).

    Returns (events, complete): None when `event_id` is unknown; complete is False when
    more than `limit` events would be replayed (the client should reload its snapshot).
    """
    async with engine.connect() as conn:
        anchor = await conn.scalar(
            union_all(
                select(CellExecution.received_at).where(CellExecution.event_id == event_id),
                select(NotebookEvent.received_at).where(NotebookEvent.event_id == event_id),
            ).limit(1)
        )
        if anchor is None:
            return None, False
        start = utc(anchor) - timedelta(seconds=margin_s)
        # Rows of the margin before the anchor are replayed too but do not count to `limit`.
        before = await conn.scalar(
            select(func.count())
            .select_from(CellExecution)
            .where(CellExecution.received_at >= start, CellExecution.received_at <= anchor)
        )
        budget = limit + int(before or 0)
        rows = (
            await conn.execute(
                execution_columns()
                .where(CellExecution.received_at >= start)
                .order_by(CellExecution.received_at, CellExecution.id)
                .limit(budget + 1)
            )
        ).all()
    return [execution_event(row) for row in rows[:budget]], len(rows) <= budget
