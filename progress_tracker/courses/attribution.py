"""Attribution at intake: the course (and section) of each event, from who sent it.

The rule (docs/courses.md): an event naming an assignment of course X is attributed to X when
its sender is a student, TA or instructor of X. Otherwise the assignment is dropped (the event
is stored under its notebook's path, as an unpublished notebook) and the event goes to the
sender's only course, or to the implicit course when they have none or several. The body alone
never decides: a student who edits a notebook's metadata can only place their own events, and
only into a course they belong to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..access.identity import Caller
from ..events import Event
from . import IMPLICIT_COURSE


def assignment_ids(events: Iterable[Event]) -> set[str]:
    """The assignments a batch names."""
    return {event.assignment_id for event in events if event.assignment_id is not None}


def attribute(events: list[Event], caller: Caller, assignment_courses: Mapping[str, str]) -> None:
    """Stamp `course` and `section` on each event (in place); drop assignments not allowed.

    `assignment_courses`: the registered course of each known assignment the batch names.
    """
    fallback = caller.roles[0].course if len(caller.roles) == 1 else IMPLICIT_COURSE
    for event in events:
        course = None
        if event.assignment_id is not None:
            course = assignment_courses.get(event.assignment_id)
            if course is None or caller.role_in(course) is None:
                event.assignment_id = None
                course = None
        event.course = course or fallback
        role = caller.role_in(event.course)
        event.section = role.section if role is not None else None
        event.role = role.role if role is not None else "student"
