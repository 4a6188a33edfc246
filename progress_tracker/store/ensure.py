"""Rows the class shares, created on first use: students, notebooks and cells.

Inserted in key order: two writers creating the same new rows then wait for one another
instead of each holding a row the other needs (a deadlock).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from ..events import Event
from .dialect import insert_for
from .membership import NotebookKey
from .models import Cell, Notebook, Student


async def ensure_students(
    conn: AsyncConnection, dialect: str, names: set[str], events: Sequence[Event]
) -> dict[str, int]:
    created = min(e.received_at for e in events)
    stmt = insert_for(dialect, Student).on_conflict_do_nothing(index_elements=["user_id"])
    await conn.execute(stmt, [{"user_id": name, "created_at": created} for name in sorted(names)])
    rows = await conn.execute(select(Student.user_id, Student.id).where(Student.user_id.in_(names)))
    return {key: pk for key, pk in rows}


async def ensure_notebooks(
    conn: AsyncConnection, dialect: str, keys: set[NotebookKey], events: Sequence[Event]
) -> dict[NotebookKey, int]:
    """Ids of the notebooks of `keys`: unpublished ones are created, assignments only looked
    up (publishing creates them; an id that is no assignment is left out of the answer)."""
    created = min(e.received_at for e in events)
    stmt = insert_for(dialect, Notebook).on_conflict_do_nothing(
        index_elements=["assignment_id", "path"]
    )
    new = [
        {"assignment_id": "", "path": path, "created_at": created}
        for a, path in sorted(keys)
        if not a
    ]
    if new:
        await conn.execute(stmt, new)
    rows = await conn.execute(
        select(Notebook.assignment_id, Notebook.path, Notebook.id).where(
            Notebook.assignment_id.in_({a for a, _ in keys}),
            Notebook.path.in_({path for _, path in keys}),
        )
    )
    return {(a, path): pk for a, path, pk in rows if (a, path) in keys}


async def ensure_cells(
    conn: AsyncConnection, dialect: str, cells: dict[tuple[int, str], Event]
) -> dict[tuple[int, str], int]:
    """Insert cells not stored yet (as their first event describes them); return every id."""
    stmt = insert_for(dialect, Cell).on_conflict_do_nothing(
        index_elements=["notebook_id", "cell_id"]
    )
    await conn.execute(
        stmt,
        [
            {
                "notebook_id": notebook_id,
                "cell_id": cell_id,
                "cell_index": event.cell_index,
                "cell_type": event.cell_type,
            }
            for (notebook_id, cell_id), event in sorted(cells.items(), key=lambda item: item[0])
        ],
    )
    rows = await conn.execute(
        select(Cell.notebook_id, Cell.cell_id, Cell.id).where(
            Cell.notebook_id.in_({nb for nb, _ in cells}),
            Cell.cell_id.in_({cell for _, cell in cells}),
        )
    )
    # The IN lists select a cross product; keep the pairs asked for.
    return {(nb, cell): pk for nb, cell, pk in rows if (nb, cell) in cells}
