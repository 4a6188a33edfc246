"""Recomputing the read model from the executions, cell starts and kernel status changes (the
source of truth).

Plain SQL that SQLite (3.33+) and PostgreSQL both run: the migration that introduces the read
model calls it on a synchronous connection, `python -m progress_tracker.store.rebuild` on an
engine. On PostgreSQL the executions are locked against writers for the rebuild (SHARE mode:
readers go on), so no event is stored between the recount and the commit.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from . import presence, summaries

KEYS = "notebook_id, course_id, student_id, cell_pk"
LATEST_FIRST = f"PARTITION BY {KEYS} ORDER BY event_time DESC, id DESC"

STATEMENTS = (
    "DELETE FROM cell_states",
    "DELETE FROM notebook_students",
    "DELETE FROM kernel_states",
    # The counts and the latest run of each (notebook, student, cell).
    f"""INSERT INTO cell_states ({KEYS}, attempts, errors, last_at, last_exec, last_failed,
        last_interrupted, last_count, last_index, last_type)
    SELECT {KEYS}, attempts, errors, event_time, id, has_error, interrupted, execution_count,
        cell_index, cell_type
    FROM (
        SELECT {KEYS}, event_time, id, has_error, interrupted, execution_count, cell_index,
            cell_type,
            row_number() OVER ({LATEST_FIRST}) AS latest,
            count(*) OVER (PARTITION BY {KEYS}) AS attempts,
            sum(CASE WHEN has_error THEN 1 ELSE 0 END) OVER (PARTITION BY {KEYS}) AS errors
        FROM cell_executions
    ) AS ranked
    WHERE latest = 1""",
    # The latest failure of each.
    f"""UPDATE cell_states SET error_at = failed.event_time, error_exec = failed.id,
        error_message = failed.error_message
    FROM (
        SELECT {KEYS}, event_time, id, error_message,
            row_number() OVER ({LATEST_FIRST}) AS latest
        FROM cell_executions WHERE has_error
    ) AS failed
    WHERE failed.latest = 1 AND cell_states.notebook_id = failed.notebook_id
        AND cell_states.course_id = failed.course_id AND cell_states.student_id = failed.student_id
        AND cell_states.cell_pk = failed.cell_pk""",
    # The latest start of each (a start of a cell never run gives a row of its own).
    f"""INSERT INTO cell_states ({KEYS}, attempts, errors, started_at)
    SELECT e.notebook_id, e.course_id, e.student_id, c.id, 0, 0, max(e.event_time)
    FROM notebook_events AS e
    JOIN cells AS c ON c.notebook_id = e.notebook_id AND c.cell_id = e.cell_id
    WHERE e.event_type = 'cell_started'
    GROUP BY e.notebook_id, e.course_id, e.student_id, c.id
    ON CONFLICT ({KEYS}) DO UPDATE SET started_at = excluded.started_at""",
    """INSERT INTO notebook_students (notebook_id, course_id, student_id, executions,
        last_received_at)
    SELECT notebook_id, course_id, student_id, count(*), max(received_at)
    FROM cell_executions GROUP BY notebook_id, course_id, student_id""",
    # The latest kernel status change of each notebook, course and student.
    """INSERT INTO kernel_states (notebook_id, course_id, student_id, status_at)
    SELECT notebook_id, course_id, student_id, max(event_time)
    FROM notebook_events WHERE event_type = 'kernel_status'
    GROUP BY notebook_id, course_id, student_id""",
)


def rebuild(connection: Connection, *, tables_of_0009: bool = True) -> None:
    """Recompute every read-model row inside the caller's transaction.

    `tables_of_0009=False` leaves out the notebooks' summaries and the presence states (for
    migration 0007, which runs before 0009 creates them).
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE cell_executions, notebook_events IN SHARE MODE"))
        connection.execute(text("SET LOCAL work_mem = '256MB'"))
    for statement in STATEMENTS:
        connection.execute(text(statement))
    if tables_of_0009:
        summaries.recount_all(connection)
        presence.recount_all(connection)
