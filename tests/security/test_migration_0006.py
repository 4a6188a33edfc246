"""Migration 0006_privacy adds the consent and audit tables and keeps every stored row."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import text

from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import alembic_config, current_revision

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


async def migrate(engine, revision: str, *, down: bool = False) -> None:
    step = command.downgrade if down else command.upgrade
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: step(alembic_config(sync), revision))


async def test_0006_adds_consents_and_audit_and_keeps_the_rows_stored_before(database_url):
    engine = create_engine(database_url)
    try:
        await migrate(engine, "0003")
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO students (id, user_id, created_at) VALUES (1, 'ann', :t)"),
                {"t": NOW},
            )
        await migrate(engine, "0006_privacy")
        assert await current_revision(engine) == "0006_privacy"
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO consents (course_id, user_id, choice, chosen_at)"
                    " VALUES ('cs101', 'ann', true, :t)"
                ),
                {"t": NOW},
            )
            await conn.execute(
                text(
                    "INSERT INTO audit_log (at, actor, action, course_id)"
                    " VALUES (:t, 'prof', 'dashboard', 'cs101')"
                ),
                {"t": NOW},
            )
            students = (await conn.execute(text("SELECT user_id FROM students"))).all()
            duplicate = await conn.execute(
                text(
                    "INSERT INTO consents (course_id, user_id) VALUES ('cs101', 'ann')"
                    " ON CONFLICT DO NOTHING"
                )
            )
        assert [row[0] for row in students] == ["ann"]
        assert duplicate.rowcount == 0  # one row per student and course
        await migrate(engine, "0003", down=True)
        assert await current_revision(engine) == "0003"
        async with engine.connect() as conn:
            kept = (await conn.execute(text("SELECT user_id FROM students"))).all()
        assert [row[0] for row in kept] == ["ann"]
    finally:
        await engine.dispose()
