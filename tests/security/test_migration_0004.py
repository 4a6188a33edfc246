"""Migration 0004 adds courses and assignments and keeps every stored row, in course "default"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import current_revision, head_revision, upgrade_to_head
from tests.security.test_migration_0003 import EXECUTION, OPENED, migrate_to

pytestmark = pytest.mark.asyncio

NOW = datetime(2026, 11, 30, tzinfo=UTC)


async def test_existing_rows_become_unpublished_notebooks_of_the_implicit_course(database_url):
    engine = create_engine(database_url)
    try:
        await migrate_to(engine, "0003")
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO students (id, user_id, created_at) VALUES (1, 'ann', :t)"),
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
        async with engine.connect() as conn:
            notebooks = (
                await conn.execute(text("SELECT path, assignment_id, course_id FROM notebooks"))
            ).all()
            executions = (
                await conn.execute(text("SELECT event_id, course_id FROM cell_executions"))
            ).all()
            opened = (await conn.execute(text("SELECT course_id FROM notebook_events"))).all()
            courses = (await conn.execute(text("SELECT id FROM courses"))).all()
            cells = (await conn.execute(text("SELECT cell_id, published FROM cells"))).all()
        assert [tuple(row) for row in notebooks] == [("lab.ipynb", "", None)]
        assert [tuple(row) for row in executions] == [("e1", "default")]
        assert [tuple(row) for row in opened] == [("default",)]
        assert [tuple(row) for row in courses] == [("default",)]
        assert [(cell, bool(published)) for cell, published in cells] == [("c", False)]
        # an assignment may share the path "" with the events that name no notebook
        async with engine.begin() as conn:
            for assignment in ("", "a1"):
                await conn.execute(
                    text(
                        "INSERT INTO notebooks (id, path, assignment_id, created_at)"
                        " VALUES (:id, '', :a, :t)"
                    ),
                    {"id": 2 + len(assignment), "a": assignment, "t": NOW},
                )
        with pytest.raises(Exception, match="(?i)unique"):
            async with engine.begin() as conn:
                await conn.execute(
                    text(
                        "INSERT INTO notebooks (id, path, created_at) VALUES (9, 'lab.ipynb', :t)"
                    ),
                    {"t": NOW},
                )
    finally:
        await engine.dispose()
