"""Migration 0003 scopes event ids to their student and keeps every stored row."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import text

from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import (
    alembic_config,
    current_revision,
    head_revision,
    upgrade_to_head,
)

pytestmark = pytest.mark.asyncio

NOW = datetime(2026, 11, 30, tzinfo=UTC)


EXECUTION = text(
    "INSERT INTO cell_executions (event_id, student_id, notebook_id, cell_pk, has_error,"
    " event_time, received_at) VALUES (:event, :student, 1, 1, false, :t, :t)"
)
OPENED = text(
    "INSERT INTO notebook_events (event_id, event_type, student_id, notebook_id, event_time,"
    " received_at) VALUES (:event, 'notebook_opened', :student, 1, :t, :t)"
)


async def migrate_to(engine, revision: str) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: command.upgrade(alembic_config(sync), revision))


async def test_rows_stored_before_0003_are_kept_and_ids_become_per_student(database_url):
    engine = create_engine(database_url)
    try:
        await migrate_to(engine, "0002")
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO students (id, user_id, created_at) VALUES (1, 'ann', :t)"),
                {"t": NOW},
            )
            await conn.execute(
                text("INSERT INTO students (id, user_id, created_at) VALUES (2, 'bob', :t)"),
                {"t": NOW},
            )
            await conn.execute(
                text("INSERT INTO notebooks (id, path, created_at) VALUES (1, 'lab.ipynb', :t)"),
                {"t": NOW},
            )
            await conn.execute(
                text("INSERT INTO cells (id, notebook_id, cell_id) VALUES (1, 1, 'c')")
            )
            await conn.execute(EXECUTION, {"event": "e1", "student": 1, "t": NOW})
            await conn.execute(OPENED, {"event": "o1", "student": 1, "t": NOW})
        await upgrade_to_head(engine)
        assert await current_revision(engine) == head_revision()
        async with engine.begin() as conn:
            await conn.execute(EXECUTION, {"event": "e1", "student": 2, "t": NOW})
            await conn.execute(OPENED, {"event": "o1", "student": 2, "t": NOW})
            rows = await conn.execute(
                text("SELECT student_id, event_id FROM cell_executions ORDER BY student_id")
            )
            assert [tuple(row) for row in rows] == [(1, "e1"), (2, "e1")]
        with pytest.raises(Exception, match="(?i)unique"):
            async with engine.begin() as conn:
                await conn.execute(EXECUTION, {"event": "e1", "student": 1, "t": NOW})
    finally:
        await engine.dispose()
