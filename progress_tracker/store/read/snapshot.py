"""The dashboard's snapshot: per student and cell, the status, attempts, errors and last error.

Read from the read model (`store/state/`), kept current on every write: a snapshot reads one row
per student x cell (of the courses and sections in the caller's scope), however long the history.
For an assignment, `columns` are its published cells in order (run or not) and the cells the
students added are summed up per student in `ownCells`, never as columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from ...courses.scope import Scope
from ..models import CellExecution, Notebook
from . import compact_sql
from .columns import exercise_columns
from .listing import key_text, notebook_list
from .presence import presence, raised_hands
from .scoping import EVERYTHING, NotebookKey, as_key, notebook_is
from .states import (
    FIELDS,
    RUNNING_WINDOW,
    StudentState,
    latest_runs,
    notebook_cells,
    own_totals,
    student_states,
)

__all__ = ["FIELDS", "RUNNING_WINDOW", "Snapshot", "notebook_list", "progress", "read_snapshot"]


@dataclass
class Snapshot:
    """An exercise's snapshot before it takes a wire form."""

    notebooks: list[dict[str, Any]]
    notebook: str | None
    generated_at: str
    last_event_id: str | None = None
    assignment: dict[str, Any] | None = None
    cells: list[dict[str, Any]] = field(default_factory=list)
    columns: list[dict[str, Any]] = field(default_factory=list)
    cell_ids: dict[int, str] = field(default_factory=dict)
    students: list[StudentState] = field(default_factory=list)
    own_cells: dict[str, dict[str, int]] = field(default_factory=dict)
    presence: dict[str, dict[str, Any]] = field(default_factory=dict)
    help: dict[str, Any] = field(default_factory=dict)
    # The compact form's students as PostgreSQL serialised them (`compact_sql.py`), if it did.
    rendered: list[tuple[str, str | None, int, str]] | None = None

    def head(self) -> dict[str, Any]:
        """Everything but the students."""
        return {
            "notebooks": self.notebooks,
            "notebook": self.notebook,
            "assignment": self.assignment,
            "cells": self.cells,
            "columns": self.columns,
            "ownCells": self.own_cells,
            "presence": self.presence,
            "help": self.help,
            "lastEventId": self.last_event_id,
            "generatedAt": self.generated_at,
        }


async def read_snapshot(
    engine: AsyncEngine,
    notebook: str | NotebookKey | None,
    scope: Scope = EVERYTHING,
    *,
    heartbeat_s: float = 60,
    compact: bool = False,
) -> Snapshot:
    """Read the snapshot of an exercise (default: the most active one in scope).

    For the compact form on PostgreSQL, the database serialises the students' cells itself.
    """
    notebooks = await notebook_list(engine, scope)
    key = as_key(notebook)
    if key is None and notebooks:
        first = notebooks[0]
        key = (first["assignmentId"], "") if first["assignmentId"] else ("", first["path"])
    generated = datetime.now(UTC)
    snapshot = Snapshot(notebooks, None if key is None else key_text(key), generated.isoformat())
    async with engine.connect() as conn:
        snapshot.last_event_id = await conn.scalar(
            select(CellExecution.event_id).order_by(CellExecution.id.desc()).limit(1)
        )
        if key is None:
            return snapshot
        row = (
            await conn.execute(
                select(Notebook.id, Notebook.course_id, Notebook.title, Notebook.version).where(
                    notebook_is(key)
                )
            )
        ).first()
        if row is None or (key[0] and not scope.allows_course(row.course_id)):
            return snapshot
        notebook_id = row.id
        if key[0]:
            snapshot.assignment = {
                "id": key[0],
                "course": row.course_id,
                "title": row.title,
                "version": row.version,
            }
        cells = await notebook_cells(conn, notebook_id)
        snapshot.cell_ids = {cell.id: cell.cell_id for cell in cells}
        # An assignment's columns and own cells follow from its publication alone; an
        # unpublished notebook's columns are placed by the class's latest runs.
        is_assignment = bool(key[0])
        if is_assignment:
            shown = {cell.id for cell in cells if cell.published}
            own = {cell.id for cell in cells if not cell.published and cell.label is None}
        else:
            shown, own = None, set()
        snapshot.presence = await presence(conn, notebook_id, scope, heartbeat_s=heartbeat_s)
        snapshot.help = await raised_hands(conn, notebook_id, scope)
        if engine.dialect.name == "postgresql":
            await compact_sql.tune(conn)
        if compact and engine.dialect.name == "postgresql":
            runs = [] if is_assignment else await latest_runs(conn, notebook_id, scope)
            snapshot.cells, snapshot.columns, _, _ = exercise_columns(is_assignment, cells, runs)
            pks = {cell_id: pk for pk, cell_id in snapshot.cell_ids.items()}
            snapshot.rendered = await compact_sql.compact_students(
                conn,
                notebook_id,
                [pks[cell["cellId"]] for cell in snapshot.cells],
                generated - RUNNING_WINDOW,
                scope,
            )
            snapshot.own_cells = await own_totals(conn, notebook_id, own, scope)
            return snapshot
        snapshot.students, runs, snapshot.own_cells = await student_states(
            conn, notebook_id, scope, shown=shown, own=own, now=generated
        )
    snapshot.cells, snapshot.columns, _, _ = exercise_columns(is_assignment, cells, runs)
    return snapshot


async def progress(
    engine: AsyncEngine,
    notebook: str | NotebookKey | None,
    scope: Scope = EVERYTHING,
    *,
    heartbeat_s: float = 60,
) -> dict[str, Any]:
    """The dashboard snapshot in its full form (a dictionary per cell)."""
    snapshot = await read_snapshot(engine, notebook, scope, heartbeat_s=heartbeat_s)
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
