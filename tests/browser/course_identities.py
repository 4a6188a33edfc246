"""Identities of the per-course notice's browser test, loaded by its `jupyter lab` subprocess.

Whoever logs in (the server's token or cookie) is the hub student `student-e2e` of cs101 and
cs202; `Authorization: token prof` is their instructor (who publishes the assignments).
"""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.identity import IdentityProvider

from tests.hub_like import HubLikeUser

STUDENT = {"name": "student-e2e", "groups": ["cs101-students", "cs202-students"]}
INSTRUCTOR = {"name": "prof", "groups": ["cs101-instructors", "cs202-instructors"]}


class TwoCourseIdentityProvider(IdentityProvider):
    """The logged-in user as a student of two courses; the token `prof` as their instructor."""

    async def get_user(self, handler: Any) -> HubLikeUser | None:
        if handler.request.headers.get("Authorization", "") == "token prof":
            handler._token_authenticated = True  # token requests need no XSRF token
            return HubLikeUser(username="prof", hub_user=dict(INSTRUCTOR))
        user = await super().get_user(handler)
        return None if user is None else HubLikeUser(username="student-e2e", hub_user=STUDENT)
