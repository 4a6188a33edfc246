"""Keeping the read model current inside the write transaction that stores the events.

Only rows the transaction really inserted are applied (the writer hands over what its
`ON CONFLICT DO NOTHING ... RETURNING` returned), so a redelivered event never counts twice; and
the counters are added in SQL (`attempts = attempts + n`), so concurrent writers never lose one.
Keys are applied in sorted order: two transactions touching the same rows lock them in the same
order and cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import and_, case, or_
from sqlalchemy.ext.asyncio import AsyncConnection

from ..dialect import insert_for
from .summaries import apply_summaries, summary_deltas
from .tables import CellState, KernelState, NotebookStudent

Row = Mapping[str, Any]
RUN_COLUMNS = (
    "last_at",
    "last_exec",
    "last_failed",
    "last_interrupted",
    "last_count",
    "last_index",
    "last_type",
)
ERROR_COLUMNS = ("error_at", "error_exec", "error_message")


# (notebook, course, student, cell pk): the key of a cell state.
Key = tuple[int, str, int, int]


def _key(row: Row) -> Key:
    return (row["notebook_id"], row["course_id"], row["student_id"], row["cell_pk"])


def _blank(key: Key) -> dict[str, Any]:
    notebook_id, course_id, student_id, cell_pk = key
    state: dict[str, Any] = dict.fromkeys(RUN_COLUMNS + ERROR_COLUMNS + ("started_at",))
    state.update(
        notebook_id=notebook_id,
        course_id=course_id,
        student_id=student_id,
        cell_pk=cell_pk,
        attempts=0,
        errors=0,
    )
    return state


def _is_later(at: datetime, pk: int, than_at: datetime | None, than_pk: int | None) -> bool:
    return than_at is None or (at, pk) > (than_at, than_pk or 0)


def cell_deltas(executions: Iterable[Row], starts: Iterable[Row]) -> list[dict[str, Any]]:
    """What a batch adds to each (notebook, course, student, cell): one row per key, in key order.

    `executions` are new `cell_executions` rows with their `id`; `starts` new `cell_started`
    notebook events with their `cell_pk`.
    """
    states: dict[Key, dict[str, Any]] = {}
    for run in executions:
        key = _key(run)
        state = states.get(key) or states.setdefault(key, _blank(key))
        state["attempts"] += 1
        at, pk = run["event_time"], run["id"]
        if _is_later(at, pk, state["last_at"], state["last_exec"]):
            state.update(
                last_at=at,
                last_exec=pk,
                last_failed=bool(run["has_error"]),
                last_interrupted=bool(run["interrupted"]),
                last_count=run["execution_count"],
                last_index=run["cell_index"],
                last_type=run["cell_type"],
            )
        if run["has_error"]:
            state["errors"] += 1
            if _is_later(at, pk, state["error_at"], state["error_exec"]):
                state.update(error_at=at, error_exec=pk, error_message=run["error_message"])
    for start in starts:
        key = _key(start)
        state = states.get(key) or states.setdefault(key, _blank(key))
        if state["started_at"] is None or start["event_time"] > state["started_at"]:
            state["started_at"] = start["event_time"]
    return [states[key] for key in sorted(states)]


def _later(new_at: Any, new_pk: Any, old_at: Any, old_pk: Any) -> Any:
    """SQL: (new_at, new_pk) is later than (old_at, old_pk); never when new_at is NULL."""
    return and_(
        new_at.is_not(None),
        or_(old_at.is_(None), new_at > old_at, and_(new_at == old_at, new_pk > old_pk)),
    )


def _newest(new: Any, old: Any) -> Any:
    return case((and_(new.is_not(None), or_(old.is_(None), new > old)), new), else_=old)


@cache
def _cells_upsert(dialect: str) -> Any:
    table = CellState.__table__
    insert = insert_for(dialect, table)
    new, old = insert.excluded, table.c
    later_run = _later(new.last_at, new.last_exec, old.last_at, old.last_exec)
    later_error = _later(new.error_at, new.error_exec, old.error_at, old.error_exec)
    changes: dict[str, Any] = {
        "attempts": old.attempts + new.attempts,
        "errors": old.errors + new.errors,
        "started_at": _newest(new.started_at, old.started_at),
    }
    changes.update({c: case((later_run, new[c]), else_=old[c]) for c in RUN_COLUMNS})
    changes.update({c: case((later_error, new[c]), else_=old[c]) for c in ERROR_COLUMNS})
    return insert.on_conflict_do_update(
        index_elements=["notebook_id", "course_id", "student_id", "cell_pk"], set_=changes
    )


@cache
def _students_upsert(dialect: str) -> Any:
    table = NotebookStudent.__table__
    insert = insert_for(dialect, table)
    new, old = insert.excluded, table.c
    return insert.on_conflict_do_update(
        index_elements=["notebook_id", "course_id", "student_id"],
        set_={
            "executions": old.executions + new.executions,
            "last_received_at": _newest(new.last_received_at, old.last_received_at),
        },
    ).returning(old.notebook_id, old.course_id, old.student_id, old.executions)


@cache
def _kernels_upsert(dialect: str) -> Any:
    table = KernelState.__table__
    insert = insert_for(dialect, table)
    new, old = insert.excluded, table.c
    return insert.on_conflict_do_update(
        index_elements=["notebook_id", "course_id", "student_id"],
        set_={"status_at": _newest(new.status_at, old.status_at)},
    )


# Why one statement run with many parameter sets, not `.values([...])`: SQLAlchemy compiles it
# once and sends the rows as multi-row VALUES pages ("insertmanyvalues"); a `.values()` list is
# compiled anew for every batch, which cost two thirds of the collector's CPU at 10,000 events/s.
# The pages keep the rows' (sorted) order, so concurrent writers still lock in the same order.


async def apply_cells(conn: AsyncConnection, dialect: str, deltas: list[dict[str, Any]]) -> None:
    """Merge per-key deltas (from `cell_deltas`) into `cell_states`."""
    await conn.execute(_cells_upsert(dialect), deltas)


async def apply_students(conn: AsyncConnection, dialect: str, executions: list[Row]) -> None:
    """Count new executions per notebook, course and student, with the latest receive time,
    and add them to the notebooks' summaries (a student's first run there counts them)."""
    pairs: dict[tuple[int, str, int], list[Any]] = {}
    for run in executions:
        key = (run["notebook_id"], run["course_id"], run["student_id"])
        pair = pairs.setdefault(key, [0, run["received_at"]])
        pair[0] += 1
        pair[1] = max(pair[1], run["received_at"])
    if not pairs:
        return
    rows = await conn.execute(
        _students_upsert(dialect),
        [
            {
                "notebook_id": nb,
                "course_id": course,
                "student_id": st,
                "executions": pairs[(nb, course, st)][0],
                "last_received_at": pairs[(nb, course, st)][1],
            }
            for nb, course, st in sorted(pairs)
        ],
    )
    # Why: a row this statement created holds exactly the executions it added; a row that
    # existed held at least one before, so it now holds more (on SQLite and PostgreSQL alike).
    created = [
        (nb, course) for nb, course, st, total in rows if total == pairs[(nb, course, st)][0]
    ]
    await apply_summaries(conn, dialect, summary_deltas(pairs, created))


async def apply_kernels(conn: AsyncConnection, dialect: str, statuses: list[Row]) -> None:
    """Keep the latest kernel status change per notebook, course and student."""
    latest: dict[tuple[int, str, int], Any] = {}
    for event in statuses:
        key = (event["notebook_id"], event["course_id"], event["student_id"])
        if key not in latest or event["event_time"] > latest[key]:
            latest[key] = event["event_time"]
    await conn.execute(
        _kernels_upsert(dialect),
        [
            {"notebook_id": nb, "course_id": course, "student_id": st, "status_at": at}
            for (nb, course, st), at in sorted(latest.items())
        ],
    )


async def apply(
    conn: AsyncConnection,
    dialect: str,
    executions: list[Row],
    starts: list[Row],
    statuses: Sequence[Row] = (),
) -> None:
    """Apply a transaction's new executions, cell starts and kernel status changes."""
    deltas = cell_deltas(executions, starts)
    if deltas:
        await apply_cells(conn, dialect, deltas)
    await apply_students(conn, dialect, executions)
    if statuses:
        await apply_kernels(conn, dialect, list(statuses))
