"""One InfluxDB point per event in the `student_progress` measurement.

Schema (see docs/influxdb.md):

- tags: `userId`, `notebook` (notebook path), `cell` (cell id, absent when the event has none),
  `eventType`, `course` (the course the collector attributed the event to) and `assignment`
  (the assignment id, absent for unpublished notebooks);
- fields: `duration` (float, ms, when known), `hasError` (bool), `executionCount` (int, when
  known), `errorMessage` (string, when present; line breaks written as `\\n`) and `eventId`
  (string: a field, not a tag, as it is unique per event and would make cardinality unbounded);
- timestamp: the event's `eventTime` in nanoseconds.

Idempotency: InfluxDB keeps one point per measurement, tag set and timestamp; a second write
of the same point overwrites the first. A redelivered event has the same tags and timestamp,
so writing it again replaces it with itself and never duplicates it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from influxdb_client import Point, WritePrecision

from ...config.influx import DEFAULT_MEASUREMENT
from ...events import Event

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def event_time_ns(moment: datetime) -> int:
    """Nanoseconds since the Unix epoch, exactly (no float rounding)."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000


def event_point(event: Event, measurement: str = DEFAULT_MEASUREMENT) -> Point:
    """The point that stands for one event."""
    point = (
        Point(measurement)
        .tag("userId", event.user_id)
        .tag("notebook", event.notebook_path)
        .tag("eventType", event.event_type.value)
        .field("hasError", bool(event.has_error))
        .field("eventId", event.event_id)
        .time(event_time_ns(event.event_time), WritePrecision.NS)
    )
    if event.cell_id is not None:
        point.tag("cell", event.cell_id)
    if event.course is not None:
        point.tag("course", event.course)
    if event.assignment_id is not None:
        point.tag("assignment", event.assignment_id)
    if event.execution_duration_ms is not None:
        point.field("duration", float(event.execution_duration_ms))
    if event.execution_count is not None:
        point.field("executionCount", int(event.execution_count))
    if event.error_message is not None:
        point.field("errorMessage", one_line(event.error_message))
    return point


def one_line(text: str) -> str:
    """`text` with each line break written as the two characters `\\n`.

    InfluxDB 1.x accepts raw line breaks inside string fields, but other line protocol
    parsers (VictoriaMetrics among them) split the point there and drop it.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
