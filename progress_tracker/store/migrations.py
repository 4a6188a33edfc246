"""Bringing a database to the current schema with Alembic (the scripts are in `alembic/`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).resolve().parent / "alembic"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The newest migration shipped with the package."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def upgrade_to_head(engine: AsyncEngine) -> None:
    """Apply every migration the database lacks (idempotent; safe with several replicas)."""

    def _upgrade(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), "head")

    if engine.dialect.name != "sqlite":
        async with engine.begin() as conn:
            await conn.run_sync(_upgrade)
        return
    # SQLite rebuilds a table to change its constraints; with foreign keys on, dropping the old
    # copy of a parent table would delete its children (ON DELETE CASCADE). The pragma only
    # changes outside a transaction: set it first, check the keys before committing.
    async with engine.connect() as conn:
        await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            await conn.run_sync(_upgrade)
            broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
            if broken:
                raise RuntimeError(f"a migration broke foreign keys: {broken[:5]}")
            await conn.commit()
        finally:
            await conn.rollback()
            await conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            await conn.commit()


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at (None when never migrated)."""

    def _current(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as conn:
        return await conn.run_sync(_current)
