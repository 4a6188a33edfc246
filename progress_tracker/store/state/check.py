"""Comparing the stored read model with a fresh recount (the rebuild, rolled back)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from .rebuild import rebuild
from .tables import CellState, KernelState, NotebookStudent, NotebookSummary, PresenceState

TABLES = (CellState, NotebookStudent, NotebookSummary, KernelState, PresenceState)


async def _contents(conn: Any) -> dict[str, set[tuple[Any, ...]]]:
    contents = {}
    for model in TABLES:
        table = model.__table__
        rows = await conn.execute(select(*table.c))
        contents[table.name] = {tuple(row) for row in rows}
    return contents


async def differences(engine: AsyncEngine) -> list[str]:
    """Rows that are stored but not recounted (`-`) or recounted but not stored (`+`)."""
    async with engine.connect() as conn, conn.begin() as transaction:
        stored = await _contents(conn)
        await conn.run_sync(rebuild)
        recounted = await _contents(conn)
        await transaction.rollback()
    lines = []
    for name in stored:
        lines += [f"- {name} {row}" for row in sorted(stored[name] - recounted[name], key=str)]
        lines += [f"+ {name} {row}" for row in sorted(recounted[name] - stored[name], key=str)]
    return lines
