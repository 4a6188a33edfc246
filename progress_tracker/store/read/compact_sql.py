"""The compact form's students, serialised by PostgreSQL itself (one JSON text per student).

A 2,000 x 60 class is 120,000 cell states; turning each into Python objects and back into JSON
costs seconds, while PostgreSQL aggregates them into JSON in a fraction of that. The rules are
those of `states.cell_values` (the shared cell-state rules test covers both paths).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

# PostgreSQL writes a timestamptz into JSON as ISO 8601 in the session's time zone: UTC here
# (fractional seconds only when there are some, as Python's isoformat()).
STUDENTS = """
WITH columns AS (
    SELECT pk, position - 1 AS col
    FROM unnest(CAST(:columns AS bigint[])) WITH ORDINALITY AS listed(pk, position)
), shown AS (
    SELECT cs.*,
        (cs.started_at IS NOT NULL AND cs.started_at >= :running_since
         AND (cs.last_at IS NULL OR cs.started_at > cs.last_at)) AS running
    FROM cell_states AS cs
    WHERE cs.notebook_id = :notebook_id {students}
), cells AS (
    SELECT student_id, cell_pk, col, attempts, errors, last_count,
        CASE WHEN error_at IS NOT NULL THEN error_message END AS last_error,
        CASE WHEN running THEN 'running' WHEN last_failed THEN 'failed' ELSE 'succeeded' END
            AS status,
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
# For this one statement: sorts in memory (a class is a few MB), and no JIT compilation, which
# costs more than it saves on a query this short.
SETTINGS = ("SET LOCAL TimeZone = 'UTC'", "SET LOCAL work_mem = '64MB'", "SET LOCAL jit = off")


async def compact_students(
    conn: AsyncConnection,
    notebook_id: int,
    columns: list[int],
    running_since: datetime,
    students: Collection[int] | None = None,
) -> list[tuple[str, str | None, int, str]]:
    """Per student, by name: (userId, lastActivity, current cell pk, cells as JSON text)."""
    params: dict[str, Any] = {
        "notebook_id": notebook_id,
        "running_since": running_since,
        "columns": columns,
    }
    only = ""
    if students is not None:
        only = "AND cs.student_id = ANY(CAST(:students AS bigint[]))"
        params["students"] = list(students)
    for setting in SETTINGS:
        await conn.execute(text(setting))
    rows = await conn.execute(text(STUDENTS.format(students=only)), params)
    # Sorted here: sorting the students' JSON in the database would spill to disk.
    return sorted((tuple(row) for row in rows), key=lambda row: row[0])  # type: ignore[misc]


async def latest_runs(conn: AsyncConnection, notebook_id: int) -> list[tuple[Any, ...]]:
    """Each cell's latest-run positions and types, counted (what `class_cells` weighs)."""
    rows = await conn.execute(
        text(
            "SELECT cell_pk, last_index, last_type, count(*) FROM cell_states"
            " WHERE notebook_id = :notebook_id AND last_at IS NOT NULL"
            " GROUP BY cell_pk, last_index, last_type"
        ),
        {"notebook_id": notebook_id},
    )
    return [tuple(row) for row in rows]
