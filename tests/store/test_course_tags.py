"""InfluxDB points carry the course an event was attributed to, and its assignment."""

from __future__ import annotations

from datetime import UTC, datetime

from progress_tracker.events import Event, EventType
from progress_tracker.sinks.influx.points import event_point

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def event(**fields) -> Event:
    return Event(
        event_id="e1",
        event_type=EventType.CELL_EXECUTED,
        event_time=NOW,
        notebook_path="lab1.ipynb",
        cell_id="c1",
        user_id="s101a",
        received_at=NOW,
        **fields,
    )


def test_course_and_assignment_are_tags():
    line = event_point(event(course="cs101", assignment_id="3f0c")).to_line_protocol()
    assert ",course=cs101" in line and ",assignment=3f0c" in line


def test_an_unpublished_notebook_has_no_assignment_tag():
    line = event_point(event(course="default")).to_line_protocol()
    assert ",course=default" in line and "assignment=" not in line
