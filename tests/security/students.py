"""A test identity provider: the token is the hub user's name; `prof` is the instructor."""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.identity import IdentityProvider, User

from tests.hub_like import HubLikeIdentityProvider, HubLikeUser


class StudentTokens(HubLikeIdentityProvider):
    """Authenticates `Authorization: token <name>` as hub user <name> (students by default);
    the server's own token as usual (its owner)."""

    async def get_user(self, handler: Any) -> HubLikeUser | User | None:
        header = handler.request.headers.get("Authorization", "")
        name = header.removeprefix("token ").strip()
        if self.token and name == self.token:
            return await IdentityProvider.get_user(self, handler)
        if not name or not name.isidentifier():
            return None
        handler._token_authenticated = True  # token requests need no XSRF token, as in Jupyter
        groups = ["instructors"] if name == "prof" else ["students"]
        return HubLikeUser(username=name, hub_user={"name": name, "groups": groups})
