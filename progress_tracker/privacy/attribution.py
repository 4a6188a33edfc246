"""Which course an event or a caller belongs to, and who is a hub administrator: in one place.

Every privacy decision asks these functions; they defer to the courses stage (the collector's
stamped `course` on events, the caller's roles from their hub groups, `Courses.admin_groups`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..courses import COURSE_ID, IMPLICIT_COURSE, STUDENT

if TYPE_CHECKING:  # the access layer imports the courses stage, which imports the config
    from ..access.identity import Caller

# The one implicit course of a server without courses.
DEFAULT_COURSE = IMPLICIT_COURSE
__all__ = ["COURSE_ID", "DEFAULT_COURSE", "course_of", "courses_of_caller", "home_course"]


def course_of(event: Any, fallback: str = DEFAULT_COURSE) -> str:
    """The course of an accepted event: the one the collector stamped on it, else `fallback`."""
    course = getattr(event, "course", None)
    return course if isinstance(course, str) and course else fallback


def courses_of_caller(caller: Caller) -> list[str]:
    """The courses whose policy applies to a caller's events.

    Their student courses, plus the implicit course when their events can land there (no
    course, or several: an event naming no assignment of theirs goes to the implicit course).
    """
    courses = {role.course for role in caller.roles if role.role == STUDENT}
    if home_course(caller) == DEFAULT_COURSE:
        courses.add(DEFAULT_COURSE)
    return sorted(courses)


def home_course(caller: Caller) -> str:
    """The course a caller's events go to when nothing stamped one (as the attribution does)."""
    return caller.roles[0].course if len(caller.roles) == 1 else DEFAULT_COURSE


def is_admin(caller: Caller) -> bool:
    """Whether the caller is a hub administrator (the owner of a plain server is)."""
    return caller.is_admin
