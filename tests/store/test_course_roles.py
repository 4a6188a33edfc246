"""Roles from hub groups: the conventions, the explicit mapping, and the strongest role winning."""

from __future__ import annotations

import pytest
from traitlets import TraitError

from progress_tracker.config.courses import Courses, CourseSettings, course_definitions
from progress_tracker.courses.roles import RoleResolver
from progress_tracker.courses.scope import Scope


def roles(*groups: str, settings: CourseSettings | None = None):
    resolved = RoleResolver(settings or CourseSettings()).roles(groups)
    return {(r.course, r.role, r.sections, r.all_sections) for r in resolved}


def test_the_conventions_name_courses_roles_and_sections():
    assert roles("cs101-students", "cs101-students-a") == {("cs101", "student", ("a",), False)}
    assert roles("cs101-tas-a", "cs101-tas-b") == {("cs101", "ta", ("a", "b"), False)}
    assert roles("cs101-tas") == {("cs101", "ta", (), True)}
    assert roles("cs-1.0-instructors") == {("cs-1.0", "instructor", (), True)}
    assert roles("students", "instructors", "CS101-students", "-students") == set()


def test_the_strongest_role_of_a_course_wins():
    assert roles("cs101-students", "cs101-tas-a") == {("cs101", "ta", ("a",), False)}
    assert roles("cs101-tas-a", "cs101-instructors") == {("cs101", "instructor", (), True)}


def test_the_explicit_mapping_adds_courses_named_otherwise():
    settings = CourseSettings(
        courses=course_definitions(
            {
                "stats": {
                    "title": "Statistics",
                    "students": ["stats-2026"],
                    "instructors": ["staff"],
                    "sections": {"m": {"students": ["stats-mon"], "tas": ["ta-mon"]}},
                }
            }
        )
    )
    assert roles("stats-mon", settings=settings) == {("stats", "student", ("m",), False)}
    assert roles("ta-mon", settings=settings) == {("stats", "ta", ("m",), False)}
    assert roles("staff", settings=settings) == {("stats", "instructor", (), True)}


@pytest.mark.parametrize(
    "bad",
    [
        {"CS 101": {}},
        {"cs101": []},
        {"cs101": {"students": "x"}},
        {"cs101": {"sections": {"A!": {}}}},
    ],
)
def test_a_bad_mapping_is_refused_when_configured(bad):
    with pytest.raises(TraitError):
        Courses(courses=bad)


def test_a_pattern_must_name_its_course_and_section():
    with pytest.raises(TraitError):
        Courses(student_pattern="students")
    with pytest.raises(TraitError):
        Courses(section_ta_pattern="{course}-tas")


def test_a_ta_of_a_section_reads_only_that_section():
    [role] = RoleResolver(CourseSettings()).roles(["cs101-tas-a"])
    scope = Scope.of_roles([role])
    assert scope.allows("cs101", "a") and not scope.allows("cs101", "b")
    assert not scope.allows("cs101", None) and not scope.allows("cs102", "a")
    assert scope.narrowed("cs102").empty and not scope.narrowed("cs101").empty
    assert Scope.of_roles([], admin=True).allows("anything", None)
