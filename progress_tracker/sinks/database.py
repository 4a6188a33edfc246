"""The relational sink: batches of events written idempotently through SQLAlchemy."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import insert
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    IntegrityError,
    SQLAlchemyError,
    StatementError,
)

from ..events import Event
from ..store.models import Cell, CellExecution, Notebook, NotebookEvent, Student
from ..store.writer import EventWriter
from . import SinkError

# SQLSTATE classes that say "this data": data exception, integrity constraint violation, program
# limit exceeded (e.g. an index row too large). Anything else with a SQLSTATE (connection,
# resources such as a full disk, operator intervention, permissions, a read-only transaction,
# a missing table) hits every event alike: an outage, retried, never a dead letter.
_DATA_SQLSTATE_CLASSES = ("22", "23", "54")


class DatabaseSink:
    """Persists events to PostgreSQL or SQLite; returns the events that were new."""

    name = "database"

    def __init__(self, writer: EventWriter):
        self.writer = writer

    async def write(self, events: Sequence[Event]) -> list[Event]:
        """Store `events`; raise SinkError saying whether a retry can succeed."""
        try:
            return await self.writer.write(events)
        except SQLAlchemyError as err:
            raise SinkError(_describe(err), retryable=is_transient(err)) from err
        except (OSError, ConnectionError, TimeoutError) as err:
            raise SinkError(f"{type(err).__name__}: {err}", retryable=True) from err

    async def write_each(self, events: Sequence[Event]) -> list[str | None]:
        """Store each event on its own (see EventWriter.write_each): per event, None once
        stored, else why it was refused. SinkError when the store cannot write now."""
        try:
            refused = await self.writer.write_each(events, lambda err: not is_transient(err))
        except SQLAlchemyError as err:
            raise SinkError(_describe(err), retryable=is_transient(err)) from err
        except (OSError, ConnectionError, TimeoutError) as err:
            raise SinkError(f"{type(err).__name__}: {err}", retryable=True) from err
        return [None if err is None else _describe(err) for err in refused]

    async def probe(self) -> None:
        """Write a row to every table the writer writes, then roll it all back.

        Raises SinkError when the store cannot take writes now: when no event of a batch could
        be stored, this tells a database that refuses everything (an outage) from a batch that
        is all bad data.
        """
        now = datetime.now(UTC)
        name = f"progress-tracker-probe-{uuid.uuid4().hex}"
        try:
            async with self.writer.engine.connect() as conn:
                transaction = await conn.begin()
                try:
                    student = await conn.scalar(
                        insert(Student).values(user_id=name, created_at=now).returning(Student.id)
                    )
                    notebook = await conn.scalar(
                        insert(Notebook).values(path=name, created_at=now).returning(Notebook.id)
                    )
                    cell = await conn.scalar(
                        insert(Cell).values(notebook_id=notebook, cell_id=name).returning(Cell.id)
                    )
                    common = {"student_id": student, "notebook_id": notebook, "received_at": now}
                    await conn.execute(
                        insert(CellExecution).values(
                            event_id=name, cell_pk=cell, event_time=now, **common
                        )
                    )
                    await conn.execute(
                        insert(NotebookEvent).values(
                            event_id=name, event_type="probe", event_time=now, **common
                        )
                    )
                finally:
                    await transaction.rollback()
        except SQLAlchemyError as err:
            raise SinkError(_describe(err), retryable=True) from err
        except (OSError, ConnectionError, TimeoutError) as err:
            raise SinkError(f"{type(err).__name__}: {err}", retryable=True) from err

    async def close(self) -> None:
        """The engine is owned by the tracker; nothing to close here."""


def is_transient(err: BaseException) -> bool:
    """Whether a database error is an outage (retry) rather than about the data (poison)."""
    if isinstance(err, DBAPIError):
        if err.connection_invalidated:
            return True
        code = getattr(err.orig, "sqlstate", None) or getattr(err.orig, "pgcode", None)
        if isinstance(code, str) and len(code) == 5:
            return code[:2] not in _DATA_SQLSTATE_CLASSES
        # No SQLSTATE (SQLite, or a driver-side check): data errors say so by their class;
        # everything else (locked, read-only or full database file, I/O) is an outage.
        return not isinstance(err, DataError | IntegrityError)
    # A StatementError could not even be built from these values (the data); anything else is
    # the connection machinery (e.g. the pool exhausted).
    return not isinstance(err, StatementError)


def _describe(err: SQLAlchemyError) -> str:
    text = str(getattr(err, "orig", None) or err).strip().splitlines()
    return f"{type(err).__name__}: {text[0] if text else ''}"[:500]
