"""A user's roles per course, resolved from their JupyterHub groups."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from ..config.courses import CourseSettings
from . import INSTRUCTOR, STUDENT, TA

_NAME = r"[a-z0-9][a-z0-9._-]{0,63}"
# Stronger roles win when a user holds several in one course.
_RANK = {INSTRUCTOR: 0, TA: 1, STUDENT: 2}


@dataclass(frozen=True)
class CourseRole:
    """The role of one user in one course.

    `sections`: a student's sections, or a TA's sections when `all_sections` is False (a TA
    of `<course>-tas` and every instructor see all sections).
    """

    course: str
    role: str
    sections: tuple[str, ...] = ()
    all_sections: bool = False

    @property
    def is_staff(self) -> bool:
        """Instructors and TAs read the course's dashboard; students only send."""
        return self.role in (INSTRUCTOR, TA)

    @property
    def section(self) -> str | None:
        """The section a student's events are attributed to (the first, when several)."""
        return self.sections[0] if self.role == STUDENT and self.sections else None


def _matcher(pattern: str) -> re.Pattern[str]:
    parts = re.split(r"(\{course\}|\{section\})", pattern)
    regex = "".join(
        f"(?P<{part[1:-1]}>{_NAME})" if part in ("{course}", "{section}") else re.escape(part)
        for part in parts
    )
    return re.compile(f"^{regex}$")


class RoleResolver:
    """Turns a user's groups into their roles, by the conventions and the explicit mapping."""

    def __init__(self, settings: CourseSettings):
        self.settings = settings
        # Section patterns first: `cs-students-a` is a section group, not course `cs-students-a`.
        self._patterns = [
            (_matcher(settings.section_student_pattern), STUDENT),
            (_matcher(settings.section_ta_pattern), TA),
            (_matcher(settings.instructor_pattern), INSTRUCTOR),
            (_matcher(settings.ta_pattern), TA),
            (_matcher(settings.student_pattern), STUDENT),
        ]
        self._explicit: dict[str, list[tuple[str, str, str | None]]] = {}
        for course, spec in settings.courses.items():
            for role, groups in ((STUDENT, spec.students), (INSTRUCTOR, spec.instructors)):
                for group in groups:
                    self._explicit.setdefault(group, []).append((course, role, None))
            for group in spec.tas:
                self._explicit.setdefault(group, []).append((course, TA, None))
            for section, members in spec.sections.items():
                for group in members.students:
                    self._explicit.setdefault(group, []).append((course, STUDENT, section))
                for group in members.tas:
                    self._explicit.setdefault(group, []).append((course, TA, section))

    def is_admin(self, name: str, groups: Collection[str]) -> bool:
        """Whether the user administers the tracker (sees every course)."""
        return name in self.settings.admin_users or bool(
            set(groups) & set(self.settings.admin_groups)
        )

    def memberships(self, groups: Iterable[str]) -> list[tuple[str, str, str | None]]:
        """(course, role, section or None) of every group that names a course."""
        found: list[tuple[str, str, str | None]] = []
        for group in groups:
            found += self._explicit.get(group, ())
            for matcher, role in self._patterns:
                match = matcher.match(group)
                if match:
                    found.append((match["course"], role, match.groupdict().get("section")))
                    break
        return found

    def roles(self, groups: Iterable[str]) -> tuple[CourseRole, ...]:
        """The user's strongest role in each course, with their sections."""
        return merge_roles(self.memberships(groups))


def merge_roles(memberships: Iterable[tuple[str, str, str | None]]) -> tuple[CourseRole, ...]:
    """One role per course: the strongest, with the sections that role has there."""
    by_course: dict[str, list[tuple[str, str | None]]] = {}
    for course, role, section in memberships:
        by_course.setdefault(course, []).append((role, section))
    merged = []
    for course, held in sorted(by_course.items()):
        role = min((r for r, _ in held), key=_RANK.__getitem__)
        sections = sorted({s for r, s in held if r == role and s is not None})
        whole = role == INSTRUCTOR or any(r == role and s is None for r, s in held)
        merged.append(
            CourseRole(course, role, tuple(sections), all_sections=whole and role != STUDENT)
        )
    return tuple(merged)
