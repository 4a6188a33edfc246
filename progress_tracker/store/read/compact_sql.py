"""The compact form's students, serialised by PostgreSQL itself (one JSON text per student).

A 2,000 x 60 class is 120,000 cell states; turning each into Python objects and back into JSON
costs seconds, while PostgreSQL aggregates them into JSON in a fraction of that. The rules are
those of `states.cell_values` and `states.merged` (the shared cell-state rules test covers both
paths).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection

from ...courses.scope import Scope
from .states import visible

# PostgreSQL writes a timestamptz into JSON as ISO 8601 in the session's time zone: UTC here
# (fractional seconds only when there are some, as Python's isoformat()).
STUDENTS = """
WITH columns AS (
    SELECT pk, position - 1 AS col
    FROM unnest(CAST(:columns AS bigint[])) WITH ORDINALITY AS listed(pk, position)
), {merged}, kernels AS (
    SELECT student_id, max(status_at) AS kernel_at
    FROM kernel_states WHERE notebook_id = :notebook_id GROUP BY student_id
), shown AS (
    SELECT m.*,
        (m.started_at IS NOT NULL AND m.started_at >= :running_since
         AND (m.last_at IS NULL OR m.started_at > m.last_at)
         AND (k.kernel_at IS NULL OR m.started_at > k.kernel_at)) AS running
    FROM merged AS m LEFT JOIN kernels AS k ON k.student_id = m.student_id
), cells AS (
    SELECT student_id, cell_pk, col, attempts, errors, last_count,
        CASE WHEN error_at IS NOT NULL THEN error_message END AS last_error,
        CASE WHEN running THEN 'running' WHEN last_interrupted THEN 'interrupted'
            WHEN last_failed THEN 'failed' ELSE 'succeeded' END AS status,
        CASE WHEN running THEN started_at ELSE last_at END AS at
    FROM shown JOIN columns ON columns.pk = shown.cell_pk
    WHERE running OR last_at IS NOT NULL
), per_student AS (
    SELECT student_id, to_json(max(at)) #>> '{{}}' AS last_activity,
        (array_agg(cell_pk ORDER BY at DESC, cell_pk))[1] AS current_cell,
        json_agg(json_build_array(col, status, attempts, errors, last_error, at, last_count)
            ORDER BY col)::text AS cells
    FROM cells GROUP BY student_id
)
SELECT s.user_id, p.last_activity, p.current_cell, p.cells
FROM per_student AS p JOIN students AS s ON s.id = p.student_id
"""
# A student's rows of one cell in several courses (a notebook shared by two courses) are merged.
MERGED = """merged AS (
    SELECT student_id, cell_pk, sum(attempts) AS attempts, sum(errors) AS errors,
        max(last_at) AS last_at, max(error_at) AS error_at, max(started_at) AS started_at,
        (array_agg(last_failed ORDER BY last_at DESC NULLS LAST, last_exec DESC NULLS LAST))[1]
            AS last_failed,
        (array_agg(last_interrupted ORDER BY last_at DESC NULLS LAST,
            last_exec DESC NULLS LAST))[1] AS last_interrupted,
        (array_agg(last_count ORDER BY last_at DESC NULLS LAST, last_exec DESC NULLS LAST))[1]
            AS last_count,
        (array_agg(error_message ORDER BY error_at DESC NULLS LAST, error_exec DESC NULLS LAST))[1]
            AS error_message
    FROM cell_states
    WHERE cell_states.notebook_id = :notebook_id AND ({scope})
    GROUP BY student_id, cell_pk
)"""
# Read through one course, a student has one row per cell: no merge (the aggregation costs
# more than half of a 2,000 x 60 snapshot).
ONE_COURSE = """merged AS (
    SELECT student_id, cell_pk, attempts, errors, last_at, error_at, started_at, last_failed,
        last_interrupted, last_count, error_message
    FROM cell_states
    WHERE cell_states.notebook_id = :notebook_id AND ({scope})
)"""
# The notebook's courses, by the primary key (notebook, course, ...): one index probe per course
# instead of a scan of the notebook's rows.
COURSES = """
WITH RECURSIVE listed AS (
    (SELECT course_id FROM cell_states WHERE notebook_id = :notebook_id
     ORDER BY course_id LIMIT 1)
    UNION ALL
    SELECT (SELECT c.course_id FROM cell_states AS c
            WHERE c.notebook_id = :notebook_id AND c.course_id > listed.course_id
            ORDER BY c.course_id LIMIT 1)
    FROM listed WHERE listed.course_id IS NOT NULL
)
SELECT course_id FROM listed WHERE course_id IS NOT NULL
"""
# For a snapshot's transaction: JSON times in UTC, sorts and aggregates in memory (a class is a
# few MB) on one core (parallel workers cost more than they save on 120,000 rows), no JIT
# compilation, which costs more than it saves on queries this short, and plans made for the
# parameters at hand. Why the last: statements are prepared and cached per connection, and
# after five runs PostgreSQL may switch one to a generic plan that ignores its parameters; the
# reads are skewed by them (a 2,000-student lecture next to a 30-student seminar) and the
# generic plan made the lecture's snapshot 3x slower. Writes keep their cached plans (planning
# a 100-row upsert at every batch would cost the ingest rate).
SETTINGS = (
    "SET LOCAL plan_cache_mode = force_custom_plan",
    "SET LOCAL TimeZone = 'UTC'",
    "SET LOCAL work_mem = '64MB'",
    "SET LOCAL jit = off",
    "SET LOCAL max_parallel_workers_per_gather = 0",
)


async def tune(conn: AsyncConnection) -> None:
    """Set up a PostgreSQL transaction for a snapshot's reads (`SETTINGS`)."""
    for setting in SETTINGS:
        await conn.execute(text(setting))


def scope_sql(scope: Scope) -> str:
    """The scope's condition on `cell_states` as SQL text (course ids and sections are quoted
    by SQLAlchemy's PostgreSQL literal rendering)."""
    condition = visible(scope).compile(
        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
    )
    return str(condition)


async def compact_students(
    conn: AsyncConnection,
    notebook_id: int,
    columns: list[int],
    running_since: datetime,
    scope: Scope,
) -> list[tuple[str, str | None, int, str]]:
    """Per student in scope, by name: (userId, lastActivity, current cell pk, cells as JSON).

    On a transaction set up by `tune` (the times it writes are UTC only then).
    """
    params: dict[str, Any] = {
        "notebook_id": notebook_id,
        "running_since": running_since,
        "columns": columns,
    }
    courses = await conn.scalars(text(COURSES), {"notebook_id": notebook_id})
    merging = sum(1 for course in courses if scope.allows_course(course)) > 1
    merged = (MERGED if merging else ONE_COURSE).format(scope=scope_sql(scope))
    rows = await conn.execute(text(STUDENTS.format(merged=merged)), params)
    # Sorted here: sorting the students' JSON in the database would spill to disk.
    return sorted((tuple(row) for row in rows), key=lambda row: row[0])  # type: ignore[misc]
