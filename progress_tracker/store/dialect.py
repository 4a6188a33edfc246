"""SQL that differs between SQLite and PostgreSQL, in one place."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, any_, bindparam, cast, func, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.dml import Insert

# An arbitrary constant: the advisory lock that serialises migrations across collector replicas.
MIGRATION_LOCK_ID = 727_401_331


def insert_for(connection_dialect: str, table: Any) -> Insert:
    """The dialect's INSERT that supports ON CONFLICT."""
    if connection_dialect == "sqlite":
        return sqlite.insert(table)
    return postgresql.insert(table)


def is_one_of(connection_dialect: str, column: Any, name: str) -> ColumnElement[bool]:
    """`column IN :name` (a list given at execution); on PostgreSQL as one array parameter
    (`= ANY`): a batch's thousands of ids are sent as one value, and the statement's text (and
    its cached plan) stays the same."""
    if connection_dialect == "postgresql":
        return column == any_(bindparam(name, type_=postgresql.ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))


def is_deadlock(err: DBAPIError) -> bool:
    """Whether PostgreSQL rolled the transaction back to break a deadlock (SQLSTATE 40P01)."""
    code = getattr(err.orig, "sqlstate", None) or getattr(err.orig, "pgcode", None)
    return code == "40P01"


def is_stale_reference(err: DBAPIError) -> bool:
    """Whether a refused write may be the writer's own doing: a row it had cached was deleted
    (a foreign key, SQLSTATE 23503) or inserted meanwhile by another writer (unique, 23505).

    Any other integrity error (a CHECK or NOT NULL constraint) is the data's: writing it again
    fails again.
    """
    code = getattr(err.orig, "sqlstate", None) or getattr(err.orig, "pgcode", None)
    if code is not None:
        return code in {"23503", "23505"}
    message = str(err.orig).upper()  # SQLite says which constraint in words only
    return "FOREIGN KEY" in message or "UNIQUE" in message


def lock_for_migrations(connection: Connection) -> None:
    """Serialise concurrent migrations (several collectors starting at once) on PostgreSQL."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})


def epoch_bucket(dialect_name: str, column: Any, seconds: int) -> ColumnElement[int]:
    """Start of the `seconds`-long bucket holding `column`, as Unix seconds.

    BIGINT: an int4 overflows for times after 2038-01-19.
    """
    if dialect_name == "sqlite":
        epoch = cast(func.strftime("%s", column), BigInteger)
    else:
        epoch = cast(func.floor(func.extract("epoch", column)), BigInteger)
    return (epoch // seconds) * seconds
