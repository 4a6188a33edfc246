"""Who is calling: the authenticated Jupyter or JupyterHub user, never the request body."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Caller:
    """The authenticated user as the tracker sees them."""

    user_id: str
    is_instructor: bool
    groups: tuple[str, ...] = field(default=())
    via_hub: bool = False


def identify(
    user: Any,
    *,
    owner_name: str,
    instructor_groups: Collection[str],
    instructor_users: Collection[str],
) -> Caller:
    """Resolve the current user of a request.

    Under JupyterHub the user is the hub user (with groups); instructors are members of
    `instructor_groups` or listed in `instructor_users`. On a plain Jupyter server, whoever
    holds the server's token or password is its owner: a stable `owner_name` and an
    instructor, instead of the random per-browser name that token auth generates.
    """
    hub_user = getattr(user, "hub_user", None)
    if isinstance(hub_user, dict):
        name = hub_user.get("name") or user.username
        groups = tuple(hub_user.get("groups") or ())
        is_instructor = name in instructor_users or bool(set(groups) & set(instructor_groups))
        return Caller(user_id=name, is_instructor=is_instructor, groups=groups, via_hub=True)
    return Caller(user_id=owner_name, is_instructor=True)
