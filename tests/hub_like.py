"""A test identity provider that answers like JupyterHub's: users with hub groups, by token."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jupyter_server.auth.identity import IdentityProvider, User

HUB_USERS = {
    "student-token": {"name": "student1", "groups": ["students"]},
    "other-student-token": {"name": "student2", "groups": ["students"]},
    "instructor-token": {"name": "prof", "groups": ["instructors"]},
    "listed-token": {"name": "ta1", "groups": []},
}


@dataclass
class HubLikeUser(User):
    """A user carrying a `hub_user` model, as JupyterHub's identity provider returns."""

    hub_user: dict[str, Any] = field(default_factory=dict)


class HubLikeIdentityProvider(IdentityProvider):
    """Authenticates the fixed tokens of HUB_USERS; everything else is anonymous."""

    async def get_user(self, handler: Any) -> HubLikeUser | None:
        header = handler.request.headers.get("Authorization", "")
        token = header.removeprefix("token ").strip() or handler.get_argument("token", "")
        hub_user = HUB_USERS.get(token)
        if hub_user is None:
            return None
        handler._token_authenticated = True  # token requests need no XSRF token, as in Jupyter
        return HubLikeUser(username=hub_user["name"], hub_user=dict(hub_user))
