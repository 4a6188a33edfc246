"""Benchmark identities: one token per simulated student, answered like JupyterHub answers.

A benchmark of "200 students" must be 200 stored students, each authenticated as themselves,
as a hub's collector sees them. Start the collector with

    --ServerApp.identity_provider_class=identities.BenchIdentityProvider
    --BenchIdentityProvider.secret=<secret>          (and bench/ on PYTHONPATH)

then `token_of("student17", secret)` authenticates as hub user student17 (group `students`) and
`token_of("instructor", secret)` as an instructor. For benchmarks only: never on a real server.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any

from jupyter_server.auth.identity import IdentityProvider, User
from traitlets import Unicode

INSTRUCTOR = "instructor"


def token_of(name: str, secret: str) -> str:
    """The benchmark token of user `name`."""
    signature = hmac.new(secret.encode(), name.encode(), hashlib.sha256).hexdigest()[:24]
    return f"bench.{name}.{signature}"


@dataclass
class BenchUser(User):
    """A user with a `hub_user` model, as JupyterHub's identity provider returns."""

    hub_user: dict[str, Any] = field(default_factory=dict)


class BenchIdentityProvider(IdentityProvider):
    """Authenticates `token_of(name, secret)` tokens as hub users; nothing else."""

    secret = Unicode(config=True, help="The key the benchmark's tokens are signed with.")

    async def get_user(self, handler: Any) -> BenchUser | None:
        header = handler.request.headers.get("Authorization", "")
        token = header.removeprefix("token ").strip() or handler.get_argument("token", "")
        name = token.removeprefix("bench.").rpartition(".")[0]
        if not (name and self.secret and hmac.compare_digest(token, token_of(name, self.secret))):
            return None
        handler._token_authenticated = True  # token requests need no XSRF token, as in Jupyter
        groups = ["instructors"] if name == INSTRUCTOR else ["students"]
        return BenchUser(username=name, hub_user={"name": name, "groups": groups})
