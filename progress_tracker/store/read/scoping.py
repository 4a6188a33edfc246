"""The caller's scope as SQL: which rows of executions and notebook events they may read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, or_, select, true

from ...courses.scope import Scope
from ..models import CourseMember, Notebook

# How the read side names an exercise: (assignment id, "") or ("", path).
NotebookKey = tuple[str, str]
EVERYTHING = Scope(everything=True)


def in_scope(scope: Scope, course_column: Any, student_column: Any) -> Any:
    """A condition on rows with a course and a student: true for what `scope` may read.

    A TA limited to sections reads the students whose membership of that course is in one of
    those sections (kept up to date on write).
    """
    if scope.everything:
        return true()
    clauses = []
    whole = scope.whole_courses()
    if whole:
        clauses.append(course_column.in_(whole))
    for course, sections in sorted(scope.sectioned_courses().items()):
        members = select(CourseMember.student_id).where(
            CourseMember.course_id == course, CourseMember.section.in_(sorted(sections))
        )
        clauses.append(and_(course_column == course, student_column.in_(members)))
    return or_(*clauses) if clauses else false()


def notebook_is(key: NotebookKey) -> Any:
    """The condition selecting one exercise's notebooks row."""
    return and_(Notebook.assignment_id == key[0], Notebook.path == key[1])


def as_key(notebook: str | NotebookKey | None) -> NotebookKey | None:
    """A notebook given by its path (an unpublished notebook) or by its key."""
    if notebook is None or isinstance(notebook, tuple):
        return notebook
    return ("", notebook)
