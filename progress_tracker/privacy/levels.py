"""Capture levels: which fields of an event leave the browser and are kept by the collector.

Each level includes the ones before it. The collector applies the level of the event's course to
every accepted event, so a field above it is dropped even when a hand-crafted client sends it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from ..events.model import CLIENT_EVENT_TIME, Event


class CaptureLevel(StrEnum):
    """What is captured, from least to most."""

    METADATA = "metadata"
    ERRORS = "errors"
    CODE = "code"
    RESULTS = "results"


LEVELS = tuple(CaptureLevel)

# Always sent (the "metadata" level): what was run, where, when, how long, whether it failed.
METADATA_FIELDS = (
    ("eventId", "a random id of the event"),
    (
        "eventType",
        "cell run or start; notebook opened, saved, closed or still open; hand raised or lowered",
    ),
    ("eventTime", "when it happened (your browser's clock)"),
    ("notebookPath", "the notebook's path in your Jupyter server"),
    ("cellId", "the id of the cell"),
    ("cellIndex", "the position of the cell in the notebook"),
    ("cellType", "code, markdown or raw"),
    ("assignmentId", "the id of the assignment the notebook is a copy of, if any"),
    ("gradeId", "the nbgrader id of the cell, if any"),
    ("executionCount", "the cell's execution count"),
    ("hasError", "whether the run ended with an error"),
    ("executionDurationMs", "how long the run took"),
    ("message", "the short message you type when you raise your hand, if any"),
)
# The fields each level adds (wire name, event attribute, description).
ADDED_AT: dict[CaptureLevel, tuple[tuple[str, str, str], ...]] = {
    CaptureLevel.METADATA: (),
    CaptureLevel.ERRORS: (("errorMessage", "error_message", "the error's type and message"),),
    CaptureLevel.CODE: (("code", "code", "the source of the cell that ran"),),
    CaptureLevel.RESULTS: (
        ("result", "result", "a short summary of the cell's output"),
        ("metadata", "metadata", "extra details a client attaches to an event"),
    ),
}


def allowed(level: CaptureLevel, wanted: CaptureLevel) -> bool:
    """Whether `level` includes what `wanted` adds."""
    return LEVELS.index(level) >= LEVELS.index(wanted)


def sent_fields(level: CaptureLevel) -> list[dict[str, str]]:
    """Every field sent at `level`, with what it holds (shown in the student's notice)."""
    fields = [{"field": name, "description": text} for name, text in METADATA_FIELDS]
    for step in LEVELS:
        if allowed(level, step):
            fields += [{"field": name, "description": text} for name, _, text in ADDED_AT[step]]
    return fields


def wire_fields_above(level: CaptureLevel) -> list[str]:
    """The wire names of the fields `level` drops."""
    return [name for step in LEVELS if not allowed(level, step) for name, _, _ in ADDED_AT[step]]


def restrict(event: Event, level: CaptureLevel) -> Event:
    """`event` without the fields above `level` (the same object when nothing goes)."""
    if level is CaptureLevel.RESULTS:
        return event  # the highest level keeps everything
    dropped: dict[str, Any] = {}
    for step in LEVELS:
        if allowed(level, step):
            continue
        for _, attribute, _ in ADDED_AT[step]:
            if getattr(event, attribute) is not None:
                dropped[attribute] = None
    if "metadata" in dropped and event.metadata and CLIENT_EVENT_TIME in event.metadata:
        # The server's own note that it replaced a far-future time stays.
        dropped["metadata"] = {CLIENT_EVENT_TIME: event.metadata[CLIENT_EVENT_TIME]}
    if not dropped:
        return event
    return event.model_copy(update=dropped)
