"""The async engine of the relational store, tuned per dialect, and its SQLite file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine.url import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def is_sqlite(url: str) -> bool:
    """Whether a database URL names SQLite."""
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, pool_size: int = 5) -> AsyncEngine:
    """An async engine tuned for the dialect (WAL and a busy timeout on SQLite)."""
    if is_sqlite(url):
        engine = create_async_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    # pool_pre_ping: a pooled connection that died with a database restart is replaced at
    # checkout, so the first write after an outage does not fail once more on it.
    return create_async_engine(
        url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800, pool_pre_ping=True
    )


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of a SQLite database file (the Jupyter data dir may not exist yet)."""
    database = make_url(url).database
    if is_sqlite(url) and database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
