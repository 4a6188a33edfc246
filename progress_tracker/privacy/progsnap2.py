"""A course's executions as a ProgSnap2 dataset (a zip): MainTable.csv, CodeStates, metadata.

One `Run.Program` row per execution (ExecutionResult `Success` or `Error`); an execution that
failed adds a `Compile.Error` row (SyntaxError, IndentationError, TabError: Python could not
compile the cell) or a `Run.Error` row (any other error), whose ParentEventID is the run's.
SubjectIDs are pseudonyms (HMAC of the user name under the deployment's key). CodeStates use
the "Table" representation: CodeStates/CodeStates.csv maps each CodeStateID to the cell's code
(the empty code state when the course's capture level sends no code).
"""

from __future__ import annotations

import csv
import hashlib
import io
import tempfile
import zipfile
from datetime import UTC, datetime
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from .._version import __version__
from ..store.models import Cell, CellExecution, Notebook, Student
from ..store.read.export import pseudonym
from .tables import in_course

MAIN_COLUMNS = [
    "EventType",
    "EventID",
    "Order",
    "SubjectID",
    "ToolInstances",
    "CodeStateID",
    "ServerTimestamp",
    "ServerTimezone",
    "ClientTimestamp",
    "ClientTimezone",
    "CourseID",
    "AssignmentID",
    "ProblemID",
    "ParentEventID",
    "ExecutionResult",
    "CompileMessageType",
    "CompileMessageData",
]
METADATA = [
    ("Version", "6"),
    ("IsEventOrderingConsistent", "false"),
    ("EventOrderScope", "Restricted"),
    ("EventOrderScopeColumns", "SubjectID"),
    ("CodeStateRepresentation", "Table"),
]
COMPILE_ERRORS = frozenset({"SyntaxError", "IndentationError", "TabError"})
TOOL = f"JupyterLab;progress-tracker {__version__}"


def error_type(message: str | None) -> str:
    """The exception name of an `ename: evalue` message ("" when unknown)."""
    if not message:
        return ""
    name = message.split(":", 1)[0].strip()
    return name if name.isidentifier() else ""


def _time(moment: datetime) -> str:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


class _CodeStates:
    """Distinct code texts, numbered in order of appearance."""

    def __init__(self, sink: IO[str]):
        self.ids: dict[bytes, str] = {}
        self.writer = csv.writer(sink)
        self.writer.writerow(["CodeStateID", "Code"])

    def id_of(self, code: str | None) -> str:
        text = code or ""
        digest = hashlib.sha256(text.encode()).digest()
        if digest not in self.ids:
            self.ids[digest] = str(len(self.ids) + 1)
            self.writer.writerow([self.ids[digest], text])
        return self.ids[digest]


async def write_dataset(
    engine: AsyncEngine, course: str, own_policies: set[str], key: bytes, out: IO[bytes]
) -> int:
    """Write the dataset of `course` as a zip to `out`; the number of MainTable rows."""
    e = CellExecution
    query = (
        select(
            e.id,
            e.code,
            e.has_error,
            e.error_message,
            e.event_time,
            e.received_at,
            Student.user_id,
            Notebook.path,
            Cell.cell_id,
        )
        .join(Student, Student.id == e.student_id)
        .join(Notebook, Notebook.id == e.notebook_id)
        .join(Cell, Cell.id == e.cell_pk)
        .where(in_course(e.__table__, course, own_policies))
        .order_by(e.student_id, e.event_time, e.id)
    )
    rows = 0
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as states_file,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        states = _CodeStates(states_file)
        with archive.open("MainTable.csv", "w") as raw:
            main = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            writer = csv.DictWriter(main, fieldnames=MAIN_COLUMNS)
            writer.writeheader()
            async with engine.connect() as conn:
                result = await conn.stream(query)
                async for row in result:
                    for line in _events(row, course, key, states, order=rows + 1):
                        writer.writerow(line)
                        rows += 1
            main.flush()
            main.detach()
        states_file.seek(0)
        archive.writestr("CodeStates/CodeStates.csv", states_file.read())
        archive.writestr("DatasetMetadata.csv", _metadata())
    return rows


def _events(row: Any, course: str, key: bytes, states: _CodeStates, order: int) -> list[dict]:
    run = {
        "EventType": "Run.Program",
        "EventID": f"run-{row.id}",
        "Order": order,
        "SubjectID": pseudonym(key, row.user_id),
        "ToolInstances": TOOL,
        "CodeStateID": states.id_of(row.code),
        "ServerTimestamp": _time(row.received_at),
        "ServerTimezone": "0",
        "ClientTimestamp": _time(row.event_time),
        "ClientTimezone": "0",
        "CourseID": course,
        "AssignmentID": row.path,
        "ProblemID": row.cell_id,
        "ParentEventID": "",
        "ExecutionResult": "Error" if row.has_error else "Success",
        "CompileMessageType": "",
        "CompileMessageData": "",
    }
    if not row.has_error:
        return [run]
    name = error_type(row.error_message)
    error = {
        **run,
        "EventType": "Compile.Error" if name in COMPILE_ERRORS else "Run.Error",
        "EventID": f"error-{row.id}",
        "Order": order + 1,
        "ParentEventID": run["EventID"],
        "ExecutionResult": "",
        "CompileMessageType": name,
        "CompileMessageData": row.error_message or "",
    }
    return [run, error]


def _metadata() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Property", "Value"])
    writer.writerows(METADATA)
    return buffer.getvalue()
