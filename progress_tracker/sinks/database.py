"""The relational sink: batches of events written idempotently through SQLAlchemy."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

from ..events import Event
from ..store.writer import EventWriter
from . import SinkError

# Connection-level failures: the database is down or restarting; the same batch will succeed.
_TRANSIENT_SQLSTATE_CLASSES = ("08", "53", "57", "40")


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

    async def close(self) -> None:
        """The engine is owned by the tracker; nothing to close here."""


def is_transient(err: BaseException) -> bool:
    """Whether a database error is about the connection (retry) rather than the data (poison)."""
    if isinstance(err, InterfaceError | OperationalError):
        return True
    if isinstance(err, DBAPIError):
        if err.connection_invalidated:
            return True
        code = getattr(err.orig, "sqlstate", None) or getattr(err.orig, "pgcode", None)
        if isinstance(code, str):
            return code[:2] in _TRANSIENT_SQLSTATE_CLASSES
        return isinstance(err.orig, OSError | ConnectionError)
    return False


def _describe(err: SQLAlchemyError) -> str:
    text = str(getattr(err, "orig", None) or err).strip().splitlines()
    return f"{type(err).__name__}: {text[0] if text else ''}"[:500]
