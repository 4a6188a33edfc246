"""Recording dashboard reads in the audit log: who read which course's data, and when."""

from __future__ import annotations

from typing import Any

from ..courses import COURSE_ID, INSTRUCTOR
from ..errors import BadRequest, Forbidden
from ..privacy.attribution import DEFAULT_COURSE


async def course_of_request(handler: Any) -> str:
    """The course a dashboard request reads.

    `?course=`, else the registered course of `?assignment=`, else the caller's only staff
    course, else the implicit course.
    """
    course = handler.get_argument("course", None)
    if course:
        if not COURSE_ID.match(course):
            raise BadRequest(f"course must be a course id, got {course[:80]!r}")
        return course
    assignment = handler.get_argument("assignment", None)
    registry = getattr(handler.runtime, "assignments", None)
    if assignment and registry is not None:
        known = await registry.courses_of({assignment})
        if assignment in known:
            return known[assignment]
    staff = [role.course for role in handler.caller.roles if role.is_staff]
    return staff[0] if len(staff) == 1 else DEFAULT_COURSE


async def course_in_scope(handler: Any, *, instructors_only: bool = False) -> str:
    """The course of the request, refused (403) unless the caller may read all of it.

    A TA limited to a section is refused a whole-course answer when `instructors_only`.
    """
    course = await course_of_request(handler)
    caller = handler.caller
    if caller.is_admin:
        return course
    role = caller.role_in(course)
    if role is None or not role.is_staff:
        raise Forbidden(f"You do not teach course {course[:80]!r}.")
    if instructors_only and role.role != INSTRUCTOR:
        raise Forbidden(f"Only the instructors of course {course[:80]!r} may do this.")
    return course


async def audit_access(handler: Any, action: str, target: str | None = None, **detail: Any) -> None:
    """Add the caller's read of `action` to the audit log (before the data is sent)."""
    privacy = handler.runtime.privacy
    if privacy is None:
        return
    await privacy.record(
        handler.caller.user_id,
        action,
        await course_of_request(handler),
        target=target,
        detail={k: v for k, v in detail.items() if v is not None} or None,
    )
