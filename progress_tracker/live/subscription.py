"""What a dashboard's socket receives: the predicate the server applies before sending.

A live message holds events of one topic (a notebook, with the assignment and course its events
carry), so the predicate is evaluated once per message and socket, without reading the events.
A dashboard subscribes with the socket's query (`api/v1/ws?notebook=<path>` or
`?assignment=<id>`); without one it follows everything, as before subscriptions existed.
The caller's scope is applied after it, per event (a message of one course still mixes its
sections): `LiveMessage.visible`; `courses` here can hold a subscription to some courses back
without parsing anything (None: every course).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from ..events.model import notebook_of


@dataclass(frozen=True)
class Topic:
    """Which part of the class a message's events are about."""

    notebook: str
    assignment: str | None = None
    course: str | None = None

    def fields(self) -> list[str]:
        """The topic as stored with a message (in Redis): empty strings for none."""
        return [self.notebook, self.assignment or "", self.course or ""]

    @classmethod
    def from_fields(cls, notebook: str, assignment: str, course: str) -> Topic:
        return cls(notebook, assignment or None, course or None)


def topic_of(event: Any) -> Topic:
    """The topic of a stored event (its assignment and course once events carry them)."""
    return Topic(
        notebook_of(event),
        getattr(event, "assignment_id", None),
        getattr(event, "course", None) or getattr(event, "course_id", None),
    )


@dataclass(frozen=True)
class Subscription:
    """The topics one dashboard receives: a notebook or an assignment, within some courses."""

    notebook: str | None = None
    assignment: str | None = None
    courses: frozenset[str] | None = None

    @classmethod
    def of(
        cls,
        notebook: str | None = None,
        assignment: str | None = None,
        courses: Collection[str] | None = None,
    ) -> Subscription:
        return cls(notebook, assignment, None if courses is None else frozenset(courses))

    @property
    def filters(self) -> bool:
        """Whether some messages are held back (the socket then numbers what it sends)."""
        return not (self.notebook is None and self.assignment is None and self.courses is None)

    def admits(self, topic: Topic | None) -> bool:
        """Whether a message of `topic` goes to this dashboard (None: a message of any topic)."""
        if not self.filters:
            return True
        if topic is None:
            return False  # a message without a topic could hold anything: not for a filter
        if self.courses is not None and topic.course not in self.courses:
            return False
        if self.assignment is not None:
            return topic.assignment == self.assignment
        if self.notebook is not None:
            return topic.notebook == self.notebook
        return True
