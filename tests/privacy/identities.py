"""Hub-like users in two courses under different privacy policies, for the server tests."""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.identity import IdentityProvider

from tests.hub_like import HubLikeUser

USERS = {
    "s1-token": {"name": "student1", "groups": ["cs101-students"]},
    "s2-token": {"name": "student2", "groups": ["cs202-students"]},
    "s3-token": {"name": "student3", "groups": []},
    "s4-token": {"name": "student4", "groups": ["cs101-students", "cs202-students"]},
    "prof-token": {
        "name": "prof",
        "groups": ["instructors", "cs101-instructors", "cs202-instructors"],
    },
    "admin-token": {"name": "admin", "groups": ["instructors", "progress-admins"]},
}
# cs101: nothing before consent, metadata only; cs202: until opted out, code but no results.
COURSES = {
    "cs101": {"consent": "opt-in", "capture_level": "metadata"},
    "cs202": {"consent": "opt-out", "capture_level": "code"},
}


class CourseIdentityProvider(IdentityProvider):
    """Authenticates the fixed tokens of USERS as hub users with their groups."""

    async def get_user(self, handler: Any) -> HubLikeUser | None:
        header = handler.request.headers.get("Authorization", "")
        hub_user = USERS.get(header.removeprefix("token ").strip())
        if hub_user is None:
            return None
        handler._token_authenticated = True
        return HubLikeUser(username=hub_user["name"], hub_user=dict(hub_user))


def server_config(database_url: str, **privacy: Any) -> dict[str, Any]:
    """A storing server with these users and the two courses' policies."""
    return {
        "ServerApp": {
            "jpserver_extensions": {"progress_tracker": True, "jupyter_server_terminals": False},
            "identity_provider_class": CourseIdentityProvider,
        },
        "ProgressTracker": {"database_url": database_url},
        "Privacy": {"courses": COURSES, **privacy},
    }


class CollectorIdentityProvider(CourseIdentityProvider):
    """USERS by their tokens, and the server's own token as its operator: a collector in a
    subprocess (tests/jupyter_process.py waits on its own token)."""

    async def get_user(self, handler: Any) -> Any:
        return await super().get_user(handler) or await IdentityProvider.get_user(self, handler)
