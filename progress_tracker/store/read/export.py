"""Executions as CSV rows that are safe to open in a spreadsheet, optionally pseudonymised."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import re
from collections.abc import AsyncIterator

from ...events import Event

EXPORT_COLUMNS = [
    "eventId",
    "userId",
    "notebookPath",
    "cellId",
    "cellIndex",
    "cellType",
    "eventTime",
    "receivedAt",
    "executionCount",
    "hasError",
    "interrupted",
    "errorMessage",
    "executionDurationMs",
    "code",
    "result",
    "course",
    "assignmentId",
]

# A formula trigger at the start of what a spreadsheet may take for a cell: the field's start, or
# after any character some locale or guess uses as a separator or line break, past whitespace.
_FORMULA_START = re.compile(r"(^|[,;\t|\r\n])(\s*)([=+\-@])")


def spreadsheet_safe(value: object) -> object:
    """Text no spreadsheet runs as a formula, whatever separator it opens the file with.

    Student code can start with '=' or hold 'x;=cmd|...' (a formula once split at ';'): a `'` is
    put before each formula trigger that could start a cell. Nothing else changes.
    """
    if isinstance(value, str):
        return _FORMULA_START.sub(r"\1\2'\3", value)
    return value


def pseudonym(key: bytes, user_id: str) -> str:
    """A stable pseudonym: the same user gets the same one under the same key."""
    digest = hmac.new(key, user_id.encode(), hashlib.sha256).hexdigest()
    return f"student-{digest[:12]}"


async def csv_chunks(
    events: AsyncIterator[Event], *, pseudonym_key: bytes | None, chunk_chars: int = 64 * 1024
) -> AsyncIterator[str]:
    """The CSV text of `events` (header first), in chunks of about `chunk_chars`."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    async for event in events:
        row = event.to_wire()
        if pseudonym_key is not None:
            row["userId"] = pseudonym(pseudonym_key, row["userId"])
        writer.writerow({name: spreadsheet_safe(value) for name, value in row.items()})
        if buffer.tell() > chunk_chars:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
