"""`c.Courses`: which JupyterHub groups make a user a student, TA or instructor of a course."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from traitlets import Dict, List, TraitError, Unicode, validate
from traitlets.config import Configurable

from ..courses import COURSE_ID, SECTION_ID

ROLE_KEYS = ("students", "instructors", "tas")


@dataclass(frozen=True)
class SectionGroups:
    """The groups of one section of a course."""

    students: tuple[str, ...] = ()
    tas: tuple[str, ...] = ()


@dataclass(frozen=True)
class CourseDefinition:
    """A course of the explicit mapping: its title and the groups of each role."""

    title: str = ""
    students: tuple[str, ...] = ()
    instructors: tuple[str, ...] = ()
    tas: tuple[str, ...] = ()
    sections: dict[str, SectionGroups] = field(default_factory=dict)


@dataclass(frozen=True)
class CourseSettings:
    """Group conventions, the explicit mapping and the administrators' groups."""

    student_pattern: str = "{course}-students"
    instructor_pattern: str = "{course}-instructors"
    ta_pattern: str = "{course}-tas"
    section_student_pattern: str = "{course}-students-{section}"
    section_ta_pattern: str = "{course}-tas-{section}"
    courses: dict[str, CourseDefinition] = field(default_factory=dict)
    admin_groups: tuple[str, ...] = ("progress-admins",)
    admin_users: tuple[str, ...] = ()


def _groups(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(g, str) for g in value):
        raise TraitError(f"{where} must be a list of group names")
    return tuple(value)


def course_definitions(raw: dict[str, Any]) -> dict[str, CourseDefinition]:
    """Read the `courses` option into definitions; TraitError naming what is wrong."""
    definitions: dict[str, CourseDefinition] = {}
    for course, spec in raw.items():
        if not isinstance(course, str) or not COURSE_ID.match(course):
            raise TraitError(f"course id {course!r} must match {COURSE_ID.pattern}")
        if not isinstance(spec, dict):
            raise TraitError(f"courses[{course!r}] must be a dict")
        sections: dict[str, SectionGroups] = {}
        for name, groups in (spec.get("sections") or {}).items():
            if (
                not isinstance(name, str)
                or not SECTION_ID.match(name)
                or not isinstance(groups, dict)
            ):
                raise TraitError(f"courses[{course!r}].sections[{name!r}] is not a section")
            sections[name] = SectionGroups(
                students=_groups(groups.get("students", []), f"{course}.{name}.students"),
                tas=_groups(groups.get("tas", []), f"{course}.{name}.tas"),
            )
        definitions[course] = CourseDefinition(
            title=str(spec.get("title") or course),
            sections=sections,
            **{key: _groups(spec.get(key, []), f"{course}.{key}") for key in ROLE_KEYS},
        )
    return definitions


class Courses(Configurable):
    """Courses and their members, taken from JupyterHub groups.

    By convention a group `<course>-students` makes its members students of `<course>`,
    `<course>-instructors` instructors, `<course>-tas` teaching assistants of every section,
    `<course>-tas-<section>` TAs of one section and `<course>-students-<section>` students of
    that section. The explicit `courses` mapping adds courses whose groups are named otherwise.
    """

    student_pattern = Unicode(
        "{course}-students", config=True, help="Group naming the students of {course}."
    )
    instructor_pattern = Unicode(
        "{course}-instructors", config=True, help="Group naming the instructors of {course}."
    )
    ta_pattern = Unicode(
        "{course}-tas",
        config=True,
        help="Group naming the teaching assistants of {course} (all its sections).",
    )
    section_student_pattern = Unicode(
        "{course}-students-{section}",
        config=True,
        help="Group naming the students of {section} of {course} (they are its students too).",
    )
    section_ta_pattern = Unicode(
        "{course}-tas-{section}",
        config=True,
        help="Group naming the teaching assistants of {section} of {course} (they see only it).",
    )
    courses = Dict(
        config=True,
        help="""Courses whose groups do not follow the conventions, e.g. {"cs101": {"title":
        "Intro", "students": ["cs101-2026"], "instructors": ["staff-cs101"], "tas": [],
        "sections": {"a": {"students": ["cs101-2026-a"], "tas": ["ta-cs101-a"]}}}}. The
        conventions apply too.""",
    )
    admin_groups = List(
        Unicode(),
        default_value=["progress-admins"],
        config=True,
        help="""JupyterHub groups of the tracker's administrators: they see every course,
        the dead letters and the pipeline's health.""",
    )
    admin_users = List(
        Unicode(), config=True, help="User names of administrators, besides admin_groups."
    )

    @validate("courses")
    def _valid_courses(self, proposal: dict[str, Any]) -> dict[str, Any]:
        course_definitions(proposal["value"])
        return proposal["value"]

    @validate("student_pattern", "instructor_pattern", "ta_pattern")
    def _course_pattern(self, proposal: dict[str, Any]) -> str:
        if proposal["value"].count("{course}") != 1 or "{section}" in proposal["value"]:
            raise TraitError("a course group pattern holds {course} once and no {section}")
        return proposal["value"]

    @validate("section_student_pattern", "section_ta_pattern")
    def _section_pattern(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if value.count("{course}") != 1 or value.count("{section}") != 1:
            raise TraitError("a section group pattern holds {course} and {section} once each")
        return value

    def settings(self) -> CourseSettings:
        """The frozen settings."""
        return CourseSettings(
            student_pattern=self.student_pattern,
            instructor_pattern=self.instructor_pattern,
            ta_pattern=self.ta_pattern,
            section_student_pattern=self.section_student_pattern,
            section_ta_pattern=self.section_ta_pattern,
            courses=course_definitions(self.courses),
            admin_groups=tuple(self.admin_groups),
            admin_users=tuple(self.admin_users),
        )
