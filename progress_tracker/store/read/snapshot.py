"""The dashboard's snapshot: per student and cell, the status, attempts, errors and last error.

Read from the read model (`store/state/`), kept current on every write: a snapshot reads one row
per student x cell and the list one row per notebook, however long the history.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ..models import CellExecution, Notebook
from ..state.tables import NotebookStudent, NotebookSummary
from . import compact_sql
from .rows import iso
from .states import FIELDS, RUNNING_WINDOW, StudentState, notebook_cells, student_states

__all__ = ["FIELDS", "RUNNING_WINDOW", "notebook_list", "progress", "read_snapshot"]

# Students who ran a cell of a notebook this recently are its active students.
ACTIVE_WINDOW = timedelta(hours=1)


async def notebook_list(engine: AsyncEngine) -> list[dict[str, Any]]:
    """Every notebook with its student counts, execution count and last activity.

    Most active first: by students active in the last hour, then by when the server last
    received one of its executions. Only the server's clock counts (a client's eventTime could
    say anything), and one student alone cannot outrank a class.
    """
    since = datetime.now(UTC) - ACTIVE_WINDOW
    summaries = select(
        Notebook.id,
        Notebook.path,
        NotebookSummary.students,
        NotebookSummary.executions,
        NotebookSummary.last_received_at,
    ).join(NotebookSummary, NotebookSummary.notebook_id == Notebook.id, isouter=True)
    # Only the pairs received from within the window are read (an index on the time).
    active = (
        select(NotebookStudent.notebook_id, func.count())
        .where(NotebookStudent.last_received_at >= since)
        .group_by(NotebookStudent.notebook_id)
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(summaries)).all()
        active_counts = dict((await conn.execute(active)).all())
    listed = [
        {
            "path": path,
            "students": students or 0,
            "activeStudents": active_counts.get(pk, 0),
            "executions": executions or 0,
            "lastActivity": iso(last),
        }
        for pk, path, students, executions, last in rows
    ]
    listed.sort(
        key=lambda nb: (nb["activeStudents"], nb["lastActivity"] or "", nb["path"]), reverse=True
    )
    return listed


@dataclass
class Snapshot:
    """A notebook's snapshot before it takes a wire form."""

    notebooks: list[dict[str, Any]]
    notebook: str | None
    cells: list[dict[str, Any]]
    cell_ids: dict[int, str]
    students: list[StudentState]
    last_event_id: str | None
    generated_at: str
    # The compact form's students as PostgreSQL serialised them (`compact_sql.py`), if it did.
    rendered: list[tuple[str, str | None, int, str]] | None = None

    def head(self) -> dict[str, Any]:
        """Everything but the students."""
        return {
            "notebooks": self.notebooks,
            "notebook": self.notebook,
            "cells": self.cells,
            "lastEventId": self.last_event_id,
            "generatedAt": self.generated_at,
        }


async def read_snapshot(
    engine: AsyncEngine,
    notebook: str | None,
    *,
    students: Collection[int] | None = None,
    compact: bool = False,
) -> Snapshot:
    """Read the snapshot of `notebook` (default: the most active one), optionally of some students.

    For the compact form on PostgreSQL, the database serialises the students' cells itself.
    """
    notebooks = await notebook_list(engine)
    if notebook is None and notebooks:
        notebook = notebooks[0]["path"]
    generated = datetime.now(UTC)
    snapshot = Snapshot(notebooks, notebook, [], {}, [], None, generated.isoformat())
    async with engine.connect() as conn:
        snapshot.last_event_id = await conn.scalar(
            select(CellExecution.event_id).order_by(CellExecution.id.desc()).limit(1)
        )
        if notebook is None:
            return snapshot
        notebook_id = await conn.scalar(select(Notebook.id).where(Notebook.path == notebook))
        if notebook_id is None:
            return snapshot
        cells = await notebook_cells(conn, notebook_id)
        snapshot.cell_ids = {pk: cell_id for pk, cell_id, _, _ in cells}
        if compact and engine.dialect.name == "postgresql":
            snapshot.cells = class_cells(cells, await compact_sql.latest_runs(conn, notebook_id))
            pks = {cell_id: pk for pk, cell_id in snapshot.cell_ids.items()}
            snapshot.rendered = await compact_sql.compact_students(
                conn,
                notebook_id,
                [pks[cell["cellId"]] for cell in snapshot.cells],
                generated - RUNNING_WINDOW,
                students,
            )
            return snapshot
        snapshot.students, latest = await student_states(
            conn, notebook_id, students=students, now=generated
        )
    snapshot.cells = class_cells(cells, latest)
    return snapshot


async def progress(
    engine: AsyncEngine, notebook: str | None, *, students: Collection[int] | None = None
) -> dict[str, Any]:
    """The dashboard snapshot in its full form (a dictionary per cell)."""
    snapshot = await read_snapshot(engine, notebook, students=students)
    ids = snapshot.cell_ids
    return {
        **snapshot.head(),
        "students": [
            {
                "userId": state.user_id,
                "lastActivity": state.last_activity,
                "currentCellId": ids.get(state.current_cell),  # type: ignore[arg-type]
                "cells": {
                    ids[pk]: dict(zip(FIELDS, values, strict=True))
                    for pk, values in state.cells.items()
                },
            }
            for state in snapshot.students
        ],
    }


def class_cells(cells: list[Any], latest_runs: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """The notebook's cells in the order and with the type most of the class reports.

    Each student's latest run says where the cell is in their copy; the median position (and the
    most common type) wins, so one student cannot reorder or retype everybody's columns. Cells
    nobody ran yet keep what their first event said. `latest_runs` are (cell pk, position, type,
    how many students' latest runs say so).
    """
    positions: dict[int, list[int]] = defaultdict(list)
    types: dict[int, Counter[str]] = defaultdict(Counter)
    for pk, index, kind, count in latest_runs:
        if index is not None:
            positions[pk].extend([index] * count)
        if kind is not None:
            types[pk][kind] += count
    listed = []
    for order, (pk, cell_id, first_index, first_type) in enumerate(cells):
        index = statistics.median_low(sorted(positions[pk])) if positions[pk] else first_index
        kind = types[pk].most_common(1)[0][0] if types[pk] else first_type
        listed.append(((index is None, index or 0, order), cell_id, index, kind))
    listed.sort(key=lambda cell: cell[0])
    return [
        {"cellId": cell_id, "cellIndex": index, "cellType": kind}
        for _, cell_id, index, kind in listed
    ]
