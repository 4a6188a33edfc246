"""Which course an event or a caller belongs to, and who is a hub administrator: in one place.

Every privacy decision asks these functions, so that the courses stage can take them over
(its server-stamped `course` on events, its `Caller` roles and admin groups) in one spot.
"""

from __future__ import annotations

import re
from typing import Any

from ..access.identity import Caller

# The one implicit course of a server without courses (the courses stage's IMPLICIT_COURSE).
DEFAULT_COURSE = "default"
COURSE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
# Hub administrators, who see every course (the courses stage's `Courses.admin_groups`).
ADMIN_GROUPS = ("progress-admins",)
STUDENT_GROUP = re.compile(r"^(?P<course>[a-z0-9][a-z0-9._-]*)-students$")


def course_of(event: Any, fallback: str = DEFAULT_COURSE) -> str:
    """The course of an accepted event: the one the collector stamped on it, else `fallback`."""
    course = getattr(event, "course", None)
    return course if isinstance(course, str) and course else fallback


def courses_of_caller(caller: Caller) -> list[str]:
    """The courses a caller studies in, by the `<course>-students` group convention.

    A caller in no such group (the owner of a plain server, a hub user without courses)
    belongs to the implicit course only.
    """
    found = {m["course"] for group in caller.groups if (m := STUDENT_GROUP.match(group))}
    return sorted(c for c in found if COURSE_ID.match(c)) or [DEFAULT_COURSE]


def home_course(caller: Caller) -> str:
    """The course a caller's events go to when nothing stamped one: their only student course."""
    courses = courses_of_caller(caller)
    return courses[0] if len(courses) == 1 else DEFAULT_COURSE


def is_admin(caller: Caller) -> bool:
    """Whether the caller is a hub administrator (the owner of a plain server is)."""
    if not caller.via_hub:
        return caller.is_instructor
    return bool(set(caller.groups) & set(ADMIN_GROUPS))
