"""What a caller may read: every course (administrators), or some courses and sections."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .roles import CourseRole


@dataclass(frozen=True, eq=False)
class Scope:
    """The courses a caller may read; per course, None (every section) or the sections.

    Every dashboard-side read filters by it: the snapshot, timelines, errors, pace, exports,
    assignments and the live socket.
    """

    everything: bool = False
    courses: Mapping[str, frozenset[str] | None] = field(default_factory=dict)

    @classmethod
    def of_roles(cls, roles: Iterable[CourseRole], *, admin: bool = False) -> Scope:
        """The scope of a caller's staff roles (an administrator's is everything)."""
        if admin:
            return cls(everything=True)
        courses = {
            role.course: None if role.all_sections else frozenset(role.sections)
            for role in roles
            if role.is_staff
        }
        return cls(courses=MappingProxyType(courses))

    @property
    def empty(self) -> bool:
        """Whether the caller may read nothing (a student)."""
        return not self.everything and not self.courses

    def allows_course(self, course: str | None) -> bool:
        """Whether some of the course is readable."""
        return self.everything or (course is not None and course in self.courses)

    def allows(self, course: str | None, section: str | None) -> bool:
        """Whether an event of this course and section is readable."""
        if self.everything:
            return True
        if course is None or course not in self.courses:
            return False
        sections = self.courses[course]
        return sections is None or section in sections

    def narrowed(self, course: str | None) -> Scope:
        """This scope limited to one course (`?course=`); None keeps it whole."""
        if course is None:
            return self
        if self.everything:
            return Scope(courses=MappingProxyType({course: None}))
        if course not in self.courses:
            return Scope()
        return Scope(courses=MappingProxyType({course: self.courses[course]}))

    def whole_courses(self) -> list[str]:
        """Courses readable in full (every section)."""
        return sorted(c for c, sections in self.courses.items() if sections is None)

    def sectioned_courses(self) -> dict[str, frozenset[str]]:
        """Courses readable only in some sections."""
        return {c: s for c, s in self.courses.items() if s is not None}
