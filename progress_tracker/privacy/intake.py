"""The collector's privacy gate: consent and capture level applied to every accepted batch.

Runs where events are stored (embedded server, collector), never in a forwarder: what a client
sends, hand-crafted or not, is cut to its course's capture level, and the events of a student
whose capture is off in that course (opt-in without consent, opt-out chosen) are not kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..access.identity import Caller
from ..events import Event
from .attribution import course_of, home_course
from .consent import ConsentBook
from .levels import restrict
from .policy import Consent, CoursePolicy, PrivacySettings


@dataclass
class Admitted:
    """What the gate let through, and how many events it ignored, per course."""

    events: list[Event] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)

    @property
    def ignored_count(self) -> int:
        """Events not kept because capture is off for their student in their course."""
        return sum(self.ignored.values())


async def admit(
    events: Sequence[Event], caller: Caller, settings: PrivacySettings, book: ConsentBook
) -> Admitted:
    """Events to keep, each cut to its course's level; the others counted per course."""
    admitted = Admitted()
    fallback = home_course(caller)
    # Per course of the batch (usually one): its policy and whether this student's capture is on.
    decided: dict[str, tuple[CoursePolicy, bool]] = {}
    for event in events:
        course = course_of(event, fallback)
        if course not in decided:
            policy = settings.policy(course)
            on = policy.consent is Consent.NOTICE or await book.capture_on(course, event.user_id)
            decided[course] = (policy, on)
        policy, on = decided[course]
        if not on:
            admitted.ignored[course] = admitted.ignored.get(course, 0) + 1
            continue
        admitted.events.append(restrict(event, policy.capture_level))
    return admitted
