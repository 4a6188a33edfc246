"""Assignments: published by an instructor of their course, listed in the caller's scope."""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..access.identity import Caller
from ..courses import INSTRUCTOR
from ..courses.publication import read_publication
from ..errors import Forbidden, NotFound, TrackerError
from ..runtime import Runtime
from ..store.assignments import AssignmentConflict
from .base import TrackerHandler
from .dashboard import DashboardHandler

ONLY_ITS_INSTRUCTORS = "Only an instructor of course {course!r} may publish its assignments."


class AssignmentsHandler(DashboardHandler):
    """GET: the assignments in scope (`?course=`); POST: publish or re-publish one."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """List the assignments of the caller's courses."""
        self.reply(200, {"assignments": await self.queries.assignments(self.scope())})

    @web.authenticated
    @authorized
    async def post(self) -> None:
        """Register an assignment's structure: 201 when new, 200 when re-published."""
        publication = read_publication(self.request.body)
        caller = self.caller
        role = caller.role_in(publication.course)
        if not caller.is_admin and (role is None or role.role != INSTRUCTOR):
            raise Forbidden(ONLY_ITS_INSTRUCTORS.format(course=publication.course))
        registry = self.runtime.assignments
        assert registry is not None
        assignment_id = publication.new_id
        try:
            created, version = await registry.publish(publication, assignment_id)
        except AssignmentConflict as err:
            raise TrackerError(
                f"Assignment {assignment_id} belongs to course {err.course!r}; publish it there, "
                "or publish this notebook as a new assignment (assignmentId null).",
                status=409,
                errors=[{"field": "course", "error": f"the assignment's course is {err.course}"}],
            ) from None
        self.reply(
            201 if created else 200,
            {
                "assignmentId": assignment_id,
                "course": publication.course,
                "title": publication.title,
                "version": version,
                "cells": [cell.model_dump(by_alias=True) for cell in publication.cells],
            },
        )


class AssignmentHandler(DashboardHandler):
    """GET one assignment of the caller's scope, with its published cells."""

    @web.authenticated
    @authorized
    async def get(self, assignment_id: str) -> None:
        """Answer the assignment; 404 when it is unknown or of another course."""
        found = await self.queries.assignment(assignment_id, self.scope())
        if found is None:
            raise NotFound(f"No assignment {assignment_id!r} in your courses.")
        self.reply(200, found)


class CoursesHandler(TrackerHandler):
    """GET the caller's courses: their role and the sections they see (any caller)."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Answer `{"courses": [...]}`."""
        runtime = await self.runtime.ready()
        self.reply(200, {"courses": await courses_of(self.caller, runtime)})


async def courses_of(
    caller: Caller, runtime: Runtime, *, use_store: bool = True
) -> list[dict[str, Any]]:
    """The caller's courses (an administrator's: every stored course), with titles and the
    sections known (configured, or named by members' groups); a TA's are their own."""
    definitions = runtime.settings.courses.courses
    roles = {role.course: role for role in caller.roles}
    listed = set(roles)
    queries = runtime.queries if use_store else None
    sections: dict[str, list[str]] = {}
    if queries is not None:
        if caller.is_admin:
            listed |= set(await queries.course_ids())
        sections = await queries.course_sections(sorted(listed))
    courses = []
    for course in sorted(listed):
        role = roles.get(course)
        spec = definitions.get(course)
        known = sorted(set(sections.get(course, [])) | set(spec.sections if spec else ()))
        if role is not None and role.role != INSTRUCTOR and not role.all_sections:
            known = list(role.sections)
        courses.append(
            {
                "id": course,
                "title": spec.title if spec else course,
                "role": role.role if role is not None else "admin",
                "sections": known,
            }
        )
    return courses
