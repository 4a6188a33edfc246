"""A semester of synthetic history, written fast: COPY straight into the tables, then a rebuild.

The class: `students` students, `notebooks` notebooks of `cells` cells each. Notebook 0 is the
lecture every student works through, notebook 1 a seminar of the first `seminar` students; the
rest of the history is spread over the other notebooks, week after week. The read model is
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

SEMESTER_START = datetime(2026, 9, 7, 9, 0, tzinfo=UTC)
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

    async def copy(self, records: Iterator[tuple]) -> None:
        """COPY the records into cell_executions in chunks."""
        conn = await asyncpg.connect(self.dsn)
        try:
            while True:
                chunk = [record for _, record in zip(range(CHUNK), records, strict=False)]
                if not chunk:
                    return
                await conn.copy_records_to_table(
                    "cell_executions", records=chunk, columns=list(COLUMNS)
                )
        finally:
            await conn.close()


async def without_indexes(dsn: str):
    """Drop cell_executions' secondary indexes and unique key; the function that restores them.

    Building an index once over the filled table is far faster than maintaining it row by row.
    """
    conn = await asyncpg.connect(dsn)
    try:
        indexes = await conn.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cell_executions'"
            " AND indexname LIKE 'ix_%'"
        )
        constraints = await conn.fetch(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = 'cell_executions'::regclass AND contype = 'u'"
        )
        for name, _ in indexes:
            await conn.execute(f'DROP INDEX "{name}"')
        for name, _ in constraints:
            await conn.execute(f'ALTER TABLE cell_executions DROP CONSTRAINT "{name}"')
    finally:
        await conn.close()

    async def restore() -> None:
        conn = await asyncpg.connect(dsn)
        try:
            await conn.execute("SET maintenance_work_mem = '512MB'")
            for _, definition in indexes:
                await conn.execute(definition)
            for name, definition in constraints:
                await conn.execute(
                    f'ALTER TABLE cell_executions ADD CONSTRAINT "{name}" {definition}'
                )
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
