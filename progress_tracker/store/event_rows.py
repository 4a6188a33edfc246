"""The rows the writer inserts for a batch of events, once their students, notebooks and cells
have ids."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..events import Event, EventType
from ..events.model import cell_of
from .membership import NotebookKey, notebook_key
from .models import IMPLICIT_COURSE_ID


@dataclass(frozen=True)
class RowIds:
    """The ids a batch's rows refer to: students by user, notebooks by key, cells by
    (notebook id, cell id)."""

    students: dict[str, int]
    notebooks: dict[NotebookKey, int]
    cells: dict[tuple[int, str], int]


def execution_rows(ids: RowIds, events: Iterable[Event]) -> list[dict[str, Any]]:
    """The cell_executions rows of the batch's runs."""
    rows = []
    for event in events:
        if event.event_type is not EventType.CELL_EXECUTED:
            continue
        notebook_id = ids.notebooks[notebook_key(event)]
        rows.append(
            {
                "event_id": event.event_id,
                "student_id": ids.students[event.user_id],
                "notebook_id": notebook_id,
                "course_id": event.course or IMPLICIT_COURSE_ID,
                "cell_pk": ids.cells[(notebook_id, cell_of(event))],
                "cell_index": event.cell_index,
                "cell_type": event.cell_type,
                "code": event.code,
                "execution_count": event.execution_count,
                "has_error": event.has_error,
                "error_message": event.error_message,
                "result": event.result,
                "duration_ms": event.execution_duration_ms,
                "event_time": event.event_time,
                "received_at": event.received_at,
                "metadata": event.metadata,
            }
        )
    return rows


def notebook_event_rows(ids: RowIds, events: Iterable[Event]) -> list[dict[str, Any]]:
    """The notebook_events rows of the batch's other events."""
    return [
        {
            "event_id": event.event_id,
            "event_type": event.event_type.value,
            "student_id": ids.students[event.user_id],
            "notebook_id": ids.notebooks[notebook_key(event)],
            "course_id": event.course or IMPLICIT_COURSE_ID,
            "cell_id": event.cell_id,
            "message": event.message,
            "event_time": event.event_time,
            "received_at": event.received_at,
            "metadata": event.metadata,
        }
        for event in events
        if event.event_type is not EventType.CELL_EXECUTED
    ]


def mark_cell_starts(ids: RowIds, inserted: Iterable[dict[str, Any]]) -> None:
    """Give each inserted notebook event the `cell_pk` of the cell it started (else None): the
    read model keeps a cell's latest start."""
    for row in inserted:
        cell = (row["notebook_id"], row["cell_id"])
        started = row["event_type"] == EventType.CELL_STARTED.value
        row["cell_pk"] = ids.cells.get(cell) if started and row["cell_id"] is not None else None
