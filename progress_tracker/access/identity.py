"""Who is calling: the authenticated Jupyter or JupyterHub user, never the request body."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from ..courses import IMPLICIT_COURSE, INSTRUCTOR
from ..courses.roles import CourseRole, RoleResolver, merge_roles
from ..courses.scope import Scope


@dataclass(frozen=True)
class Caller:
    """The authenticated user as the tracker sees them, with their role in each course."""

    user_id: str
    is_instructor: bool
    groups: tuple[str, ...] = field(default=())
    via_hub: bool = False
    roles: tuple[CourseRole, ...] = field(default=())
    is_admin: bool = False

    def role_in(self, course: str) -> CourseRole | None:
        """The caller's role in `course`, if any."""
        return next((role for role in self.roles if role.course == course), None)

    def scope(self) -> Scope:
        """What the caller may read on the dashboard side."""
        return Scope.of_roles(self.roles, admin=self.is_admin)


def identify(
    user: Any,
    *,
    owner_name: str,
    instructor_groups: Collection[str],
    instructor_users: Collection[str],
    resolver: RoleResolver | None = None,
) -> Caller:
    """Resolve the current user of a request.

    Under JupyterHub the user is the hub user (with groups), whose roles come from the course
    groups (`c.Courses`); members of the legacy `instructor_groups` / `instructor_users` are
    instructors of the implicit course (events no configured course claims). On a plain Jupyter
    server, whoever holds the server's token or password is its owner: a stable `owner_name`,
    administrator and instructor of the implicit course.
    """
    hub_user = getattr(user, "hub_user", None)
    if isinstance(hub_user, dict):
        name = hub_user.get("name") or user.username
        groups = tuple(hub_user.get("groups") or ())
        memberships = resolver.memberships(groups) if resolver is not None else []
        if name in instructor_users or set(groups) & set(instructor_groups):
            memberships.append((IMPLICIT_COURSE, INSTRUCTOR, None))
        roles = merge_roles(memberships)
        admin = resolver is not None and resolver.is_admin(name, groups)
        staff = admin or any(role.is_staff for role in roles)
        return Caller(
            user_id=name,
            is_instructor=staff,
            groups=groups,
            via_hub=True,
            roles=roles,
            is_admin=admin,
        )
    owner_role = CourseRole(IMPLICIT_COURSE, INSTRUCTOR, all_sections=True)
    return Caller(user_id=owner_name, is_instructor=True, roles=(owner_role,), is_admin=True)
