"""Subject rights in the relational store: everything about one student, exported or erased.

The tables come from `tables.py`; an erasure deletes the student's rows everywhere and keeps the
audit log's record of who read what with the student's name replaced by a pseudonym.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ..store.state.summaries import pairs_of_student, recount
from .tables import AUDIT, STUDENTS, student_tables, user_tables


def json_safe(value: Any) -> Any:
    """A stored value as JSON can hold it."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def erased_name(key: bytes, user: str) -> str:
    """What the audit log says instead of an erased student's name (stable under one key)."""
    return "erased-" + hmac.new(key, user.encode(), hashlib.sha256).hexdigest()[:16]


async def _student_id(conn: AsyncConnection, user: str) -> int | None:
    row = (await conn.execute(select(STUDENTS.c.id).where(STUDENTS.c.user_id == user))).first()
    return None if row is None else int(row[0])


async def export_rows(engine: AsyncEngine, user: str) -> dict[str, list[dict[str, Any]]]:
    """Every row about `user`, table by table (the audit log's entries by or about them too)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    async with engine.connect() as conn:
        student = await _student_id(conn, user)
        rows = await conn.execute(select(STUDENTS).where(STUDENTS.c.user_id == user))
        tables[STUDENTS.name] = [_row(r) for r in rows]
        for table in student_tables():
            found = (
                []
                if student is None
                else await conn.execute(
                    select(table)
                    .where(table.c.student_id == student)
                    .order_by(*table.primary_key.columns)  # read-model tables have no `id`
                )
            )
            tables[table.name] = [_row(r) for r in found]
        for table, column in user_tables():
            tables[table.name] = [
                _row(r) for r in await conn.execute(select(table).where(column == user))
            ]
        audit = await conn.execute(
            select(AUDIT).where(or_(AUDIT.c.actor == user, AUDIT.c.target == user))
        )
        tables[AUDIT.name] = [_row(r) for r in audit]
    return tables


def _row(row: Any) -> dict[str, Any]:
    return {key: json_safe(value) for key, value in row._mapping.items()}


async def erase_rows(engine: AsyncEngine, user: str, pseudonym_key: bytes) -> dict[str, int]:
    """Delete every row about `user` in one transaction; how many went, per table."""
    removed: dict[str, int] = {}
    alias = erased_name(pseudonym_key, user)
    async with engine.begin() as conn:
        student = await _student_id(conn, user)
        counted_in = set() if student is None else await pairs_of_student(conn, student)
        for table in student_tables():
            result = (
                None
                if student is None
                else await conn.execute(delete(table).where(table.c.student_id == student))
            )
            removed[table.name] = 0 if result is None else result.rowcount
        # The notebooks' summaries counted the student: counted again without them.
        await recount(conn, counted_in)
        for table, column in user_tables():
            removed[table.name] = (await conn.execute(delete(table).where(column == user))).rowcount
        result = await conn.execute(delete(STUDENTS).where(STUDENTS.c.user_id == user))
        removed[STUDENTS.name] = result.rowcount
        renamed = 0
        for column in (AUDIT.c.actor, AUDIT.c.target):
            result = await conn.execute(update(AUDIT).where(column == user).values({column: alias}))
            renamed += result.rowcount
        removed["audit_log (pseudonymised)"] = renamed
    return removed
