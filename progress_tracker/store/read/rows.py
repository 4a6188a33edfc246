"""Rows of the store as events: the columns of an execution, its filters, aware UTC times."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, select

from ...courses.scope import Scope
from ...events import NO_CELL, NO_NOTEBOOK, Event, EventType
from ..models import Cell, CellExecution, Notebook, Student
from .scoping import EVERYTHING, NotebookKey, as_key, in_scope, notebook_is


def utc(value: datetime | None) -> datetime | None:
    """Read a stored time as aware UTC (SQLite hands back naive values)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def iso(value: datetime | None) -> str | None:
    """ISO 8601 text of a stored time."""
    aware = utc(value)
    return aware.isoformat() if aware else None


def execution_columns() -> Select[Any]:
    return (
        select(
            CellExecution.event_id,
            Student.user_id,
            Notebook.path,
            Cell.cell_id,
            CellExecution.cell_index,
            CellExecution.cell_type,
            CellExecution.code,
            CellExecution.execution_count,
            CellExecution.has_error,
            CellExecution.interrupted,
            CellExecution.error_message,
            CellExecution.result,
            CellExecution.duration_ms,
            CellExecution.event_time,
            CellExecution.received_at,
            CellExecution.event_metadata.label("event_metadata"),
            CellExecution.course_id,
            Notebook.assignment_id,
            Notebook.published_path,
        )
        .join(Student, Student.id == CellExecution.student_id)
        .join(Notebook, Notebook.id == CellExecution.notebook_id)
        .join(Cell, Cell.id == CellExecution.cell_pk)
    )


def filtered(
    stmt: Select[Any],
    notebook: str | NotebookKey | None,
    user: str | None,
    since: datetime | None,
    until: datetime | None,
    scope: Scope = EVERYTHING,
) -> Select[Any]:
    """Executions in scope of a notebook and student within [since, until), each optional."""
    stmt = stmt.where(in_scope(scope, CellExecution.course_id, CellExecution.student_id))
    key = as_key(notebook)
    if key is not None:
        stmt = stmt.where(notebook_is(key))
    if user is not None:
        stmt = stmt.where(Student.user_id == user)
    if since is not None:
        stmt = stmt.where(CellExecution.event_time >= since)
    if until is not None:
        stmt = stmt.where(CellExecution.event_time < until)
    return stmt


def execution_event(row: Any) -> Event:
    """An execution read back as the event it was (an assignment's under its published path)."""
    assignment = row.assignment_id or None
    path = row.published_path if assignment else row.path
    return Event.model_construct(
        event_id=row.event_id,
        event_type=EventType.CELL_EXECUTED,
        event_time=utc(row.event_time),
        user_id=row.user_id,
        notebook_path=None if path in (None, NO_NOTEBOOK) else path,
        assignment_id=assignment,
        course=row.course_id,
        cell_id=None if row.cell_id == NO_CELL else row.cell_id,
        cell_index=row.cell_index,
        cell_type=row.cell_type,
        code=row.code,
        execution_count=row.execution_count,
        has_error=bool(row.has_error),
        interrupted=bool(row.interrupted),
        error_message=row.error_message,
        result=row.result,
        execution_duration_ms=row.duration_ms,
        metadata=row.event_metadata,
        received_at=utc(row.received_at),
    )
