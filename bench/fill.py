"""A semester of synthetic history, written fast: COPY straight into the tables, then a rebuild.

The class: `students` students, `notebooks` notebooks of `cells` cells each. Notebook 0 is the
lecture every student works through, notebook 1 a seminar of the first `seminar` students; the
rest of the history is spread over the other notebooks, week after week. The lecture's and the
seminar's students also open them in sessions, each a heartbeat a minute (presence). The read model is
recomputed from the executions by the same rebuild the migration and the command run.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from progress_tracker.store.state.rebuild import rebuild

# Week 15 of the semester ends now: the history is in the past, as the server would have
# received it (a history running into the future would count every student as active).
SEMESTER_START = datetime.now(UTC).replace(microsecond=0) - timedelta(weeks=15)
COLUMNS = (
    "event_id",
    "student_id",
    "notebook_id",
    "cell_pk",
    "cell_index",
    "cell_type",
    "code",
    "execution_count",
    "has_error",
    "error_message",
    "result",
    "duration_ms",
    "event_time",
    "received_at",
)
LIFECYCLE_COLUMNS = (
    "event_id",
    "event_type",
    "student_id",
    "notebook_id",
    "event_time",
    "received_at",
)
CHUNK = 100_000
CODE = "df.groupby('region')['units'].sum()"
ERROR = "KeyError: 'units'"
RESULT = "region\nnorth 12\nsouth 9"


def notebook_path(index: int) -> str:
    return f"course/lab{index:02d}.ipynb"


@dataclass
class Filler:
    """Writes executions of a class into a fresh, migrated PostgreSQL database."""

    dsn: str
    students: int = 2000
    notebooks: int = 50
    cells: int = 60
    seminar: int = 200
    written: int = 0
    lifecycle_written: int = 0
    student_ids: list[int] = field(default_factory=list)
    notebook_ids: list[int] = field(default_factory=list)
    cell_ids: dict[tuple[int, int], int] = field(default_factory=dict)

    async def create_class(self) -> None:
        """The students, notebooks and cells."""
        conn = await asyncpg.connect(self.dsn)
        try:
            now = SEMESTER_START
            self.student_ids = [
                row[0]
                for row in await conn.fetch(
                    "INSERT INTO students (user_id, created_at) SELECT 'student' || i, $1"
                    " FROM generate_series(0, $2 - 1) AS i ORDER BY i RETURNING id",
                    now,
                    self.students,
                )
            ]
            for index in range(self.notebooks):
                pk = await conn.fetchval(
                    "INSERT INTO notebooks (path, created_at) VALUES ($1, $2) RETURNING id",
                    notebook_path(index),
                    now,
                )
                self.notebook_ids.append(pk)
                for cell in range(self.cells):
                    self.cell_ids[(index, cell)] = await conn.fetchval(
                        "INSERT INTO cells (notebook_id, cell_id, cell_index, cell_type)"
                        " VALUES ($1, $2, $3, 'code') RETURNING id",
                        pk,
                        f"cell-{cell:02d}",
                        cell,
                    )
        finally:
            await conn.close()

    def runs(
        self, notebook: int, students: int, count: int, start: datetime, end: datetime
    ) -> Iterator[tuple]:
        """`count` runs of a notebook by its first `students` students, every cell in turn."""
        span = (end - start).total_seconds()
        for number in range(count):
            student = number % students
            cell = (number // students) % self.cells
            attempt = number // (students * self.cells)
            failed = (student * 31 + cell * 7 + attempt) % 7 == 0
            at = start + timedelta(seconds=span * number / max(1, count))
            self.written += 1
            yield (
                f"h{self.written:x}",
                self.student_ids[student],
                self.notebook_ids[notebook],
                self.cell_ids[(notebook, cell)],
                cell,
                "code",
                CODE,
                attempt + 1,
                failed,
                ERROR if failed else None,
                None if failed else RESULT,
                12.5,
                at,
                at,
            )

    def sessions(
        self,
        notebook: int,
        students: int,
        per_student: int,
        minutes: int,
        start: datetime,
        end: datetime,
    ) -> Iterator[tuple]:
        """Each of the first `students` students opens the notebook `per_student` times over
        the weeks, sends a heartbeat a minute for `minutes` minutes, saves and closes it."""
        span = (end - start).total_seconds() - 60 * (minutes + 1)
        for session in range(per_student):
            for student in range(students):
                opened = start + timedelta(
                    seconds=span * (session * students + student) / (per_student * students)
                )
                kinds = ["notebook_opened", *["notebook_heartbeat"] * minutes]
                for minute, kind in enumerate([*kinds, "notebook_saved", "notebook_closed"]):
                    at = opened + timedelta(minutes=min(minute, minutes))
                    self.lifecycle_written += 1
                    yield (
                        f"p{self.lifecycle_written:x}",
                        kind,
                        self.student_ids[student],
                        self.notebook_ids[notebook],
                        at,
                        at,
                    )

    async def copy(self, records: Iterator[tuple], table: str = "cell_executions") -> None:
        """COPY the records into cell_executions (or notebook_events) in chunks."""
        columns = COLUMNS if table == "cell_executions" else LIFECYCLE_COLUMNS
        conn = await asyncpg.connect(self.dsn)
        try:
            while True:
                chunk = [record for _, record in zip(range(CHUNK), records, strict=False)]
                if not chunk:
                    return
                await conn.copy_records_to_table(table, records=chunk, columns=list(columns))
        finally:
            await conn.close()


async def without_indexes(
    dsn: str, tables: tuple[str, ...] = ("cell_executions", "notebook_events")
):
    """Drop the history tables' secondary indexes and unique keys; the function that restores
    them.

    Building an index once over the filled table is far faster than maintaining it row by row.
    """
    conn = await asyncpg.connect(dsn)
    indexes, constraints = [], []
    try:
        for table in tables:
            indexes += await conn.fetch(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1"
                " AND indexname LIKE 'ix_%'",
                table,
            )
            found = await conn.fetch(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = $1::regclass AND contype = 'u'",
                table,
            )
            constraints += [(table, name, definition) for name, definition in found]
        for name, _ in indexes:
            await conn.execute(f'DROP INDEX "{name}"')
        for table, name, _ in constraints:
            await conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    finally:
        await conn.close()

    async def restore() -> None:
        conn = await asyncpg.connect(dsn)
        try:
            await conn.execute("SET maintenance_work_mem = '512MB'")
            for _, definition in indexes:
                await conn.execute(definition)
            for table, name, definition in constraints:
                await conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        finally:
            await conn.close()

    return restore


def week(number: int) -> datetime:
    return SEMESTER_START + timedelta(weeks=number)


async def rebuild_read_model(engine: AsyncEngine) -> float:
    """Recompute the read model and the planner's statistics; the seconds it took."""
    started = time.perf_counter()
    async with engine.begin() as conn:
        await conn.run_sync(rebuild)
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM ANALYZE"))  # the rebuild's deleted rows out of the way
    return time.perf_counter() - started
