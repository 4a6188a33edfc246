"""The per notebook and course summaries of the list of exercises, kept with the read model.

A summary counts the `notebook_students` rows of its notebook and course (one per student), adds
up their executions and keeps the latest receive time. The writer adds to it what a transaction
added (`apply_summaries`); a rebuild and an erasure recount it from `notebook_students`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import and_, case, delete, func, insert, or_, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from ..dialect import insert_for
from .tables import NotebookStudent, NotebookSummary

# (notebook, course): the key of a summary.
Pair = tuple[int, str]
# Parameters per statement stay far below SQLite's and asyncpg's limits.
CHUNK = 1000

RECOUNT_ALL = (
    "DELETE FROM notebook_summaries",
    """INSERT INTO notebook_summaries (notebook_id, course_id, students, executions,
        last_received_at)
    SELECT notebook_id, course_id, count(*), sum(executions), max(last_received_at)
    FROM notebook_students GROUP BY notebook_id, course_id""",
)


def recount_all(connection: Any) -> None:
    """Recount every summary (a synchronous connection: the rebuild's, a migration's)."""
    for statement in RECOUNT_ALL:
        connection.execute(text(statement))


async def recount(conn: AsyncConnection, pairs: Collection[Pair]) -> None:
    """Recount the summaries of `pairs` from `notebook_students` (after rows were deleted)."""
    keys = sorted(pairs)
    summary, per = NotebookSummary.__table__, NotebookStudent.__table__
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        await conn.execute(
            delete(summary).where(tuple_(summary.c.notebook_id, summary.c.course_id).in_(chunk))
        )
        counted = (
            select(
                per.c.notebook_id,
                per.c.course_id,
                func.count(),
                func.sum(per.c.executions),
                func.max(per.c.last_received_at),
            )
            .where(tuple_(per.c.notebook_id, per.c.course_id).in_(chunk))
            .group_by(per.c.notebook_id, per.c.course_id)
        )
        await conn.execute(
            insert(summary).from_select(
                ["notebook_id", "course_id", "students", "executions", "last_received_at"],
                counted,
            )
        )


async def pairs_of_student(conn: AsyncConnection, student_id: int) -> set[Pair]:
    """The notebooks and courses a student has rows of (whose summaries count them)."""
    per = NotebookStudent.__table__
    rows = await conn.execute(
        select(per.c.notebook_id, per.c.course_id).where(per.c.student_id == student_id)
    )
    return {(int(nb), str(course)) for nb, course in rows}


def summary_deltas(
    added: Mapping[tuple[int, str, int], Sequence[Any]], new_students: Iterable[Pair]
) -> dict[Pair, list[Any]]:
    """Per (notebook, course): [new students, executions, latest receive time].

    `added` holds per (notebook, course, student) the executions a transaction added and their
    latest receive time; `new_students` a pair per student row the transaction created.
    """
    deltas: dict[Pair, list[Any]] = {}
    for (notebook, course, _), (count, received) in added.items():
        delta = deltas.setdefault((notebook, course), [0, 0, received])
        delta[1] += count
        delta[2] = max(delta[2], received)
    for pair in new_students:
        deltas[pair][0] += 1
    return deltas


@cache
def _summaries_upsert(dialect: str) -> Any:
    table = NotebookSummary.__table__
    insert_stmt = insert_for(dialect, table)
    new, old = insert_stmt.excluded, table.c
    return insert_stmt.on_conflict_do_update(
        index_elements=["notebook_id", "course_id"],
        set_={
            "students": old.students + new.students,
            "executions": old.executions + new.executions,
            "last_received_at": _latest(new.last_received_at, old.last_received_at),
        },
    )


async def apply_summaries(
    conn: AsyncConnection, dialect: str, deltas: Mapping[Pair, list[Any]]
) -> None:
    """Add per-pair deltas (from `summary_deltas`) to the summaries, in key order (one
    statement, many parameter sets: compiled once, see `maintain.py`)."""
    if not deltas:
        return
    await conn.execute(
        _summaries_upsert(dialect),
        [
            {
                "notebook_id": notebook,
                "course_id": course,
                "students": students,
                "executions": executions,
                "last_received_at": received,
            }
            for (notebook, course), (students, executions, received) in sorted(deltas.items())
        ],
    )


def _latest(new: Any, old: Any) -> Any:
    return case((and_(new.is_not(None), or_(old.is_(None), new > old)), new), else_=old)
