"""The collector's lock-down: only the tracker's own API (and reading /api/status) is reachable.

A collector runs as a Jupyter server that every user may reach (JupyterHub's
`access:services` scope). With jupyter_server's default authorizer, any of them could start
kernels, open terminals or read files there, next to the collector's database credentials.
In collector mode the extension therefore:

- routes every request outside an allow-list (the tracker's own routes, and GET/HEAD of
  `api/status` and `metrics`) to a handler that answers 403 at once, before any other handler is even
  created (`install_allow_list`): nothing upstream (file lookups, API specs, lab pages that never
  answer) is reachable, whatever its own authentication does;
- wraps whatever authorizer the server was configured with in `CollectorAuthorizer`;
- gates authentication itself: handlers other than the tracker's and `GET /api/status` see
  no user at all, which also covers handlers that never ask the authorizer (e.g. JupyterLab's
  settings and workspaces APIs);
- turns terminals off;
- lets jupyter_server's `/metrics` be read only with the configured `metrics_token`, or by a hub
  token that has the `read:metrics` scope (it is no business of the students).
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from jupyter_server.auth.authorizer import Authorizer
from jupyter_server.auth.identity import User
from jupyter_server.base.handlers import PrometheusMetricsHandler
from jupyter_server.utils import url_path_join
from tornado import httputil, web
from tornado.routing import Matcher, Rule
from traitlets import Instance

from . import AUTH_RESOURCE

log = logging.getLogger(__name__)

# (action, resource) pairs a collector allows; the action None means any action.
ALLOWED: frozenset[tuple[str | None, str]] = frozenset({(None, AUTH_RESOURCE), ("read", "api")})


def is_allowed(action: str, resource: str) -> bool:
    """Whether a collector serves `action` on `resource` at all (to anybody)."""
    return (None, resource) in ALLOWED or (action, resource) in ALLOWED


class CollectorAuthorizer(Authorizer):
    """Denies every resource but the tracker's own and reading `api`; then asks `inner`, if any."""

    inner = Instance(
        Authorizer,
        allow_none=True,
        help="The authorizer the server was configured with; consulted for allowed resources.",
    )

    def is_authorized(
        self, handler: Any, user: Any, action: str, resource: str
    ) -> Awaitable[bool] | bool:
        """False outside the allow-list; otherwise the inner authorizer's answer (True if none)."""
        if not is_allowed(action, resource):
            self.log.debug("progress_tracker collector: denied %s on %s", action, resource)
            return False
        if self.inner is None:
            return True
        return self.inner.is_authorized(handler, user, action, resource)


def handler_is_allowed(handler: Any) -> bool:
    """Whether a request's handler belongs to what a collector serves."""
    resource = getattr(handler, "auth_resource", None)
    if resource == AUTH_RESOURCE:
        return True
    return resource == "api" and handler.request.method in ("GET", "HEAD")


METRICS_READER = "progress-tracker-metrics"


async def metrics_reader(
    handler: Any, get_user: Callable[[Any], Any], metrics_token: str
) -> Any | None:
    """The user reading /metrics: the bearer of `metrics_token`, or a hub user with the
    `read:metrics` scope; None for anybody else (jupyter_server then answers 403)."""
    header = handler.request.headers.get("Authorization", "")
    scheme, _, presented = header.partition(" ")
    if (
        metrics_token
        and scheme.lower() in ("token", "bearer")
        and hmac.compare_digest(presented.strip().encode(), metrics_token.encode())
    ):
        return User(username=METRICS_READER)
    user = get_user(handler)
    user = await user if isinstance(user, Awaitable) else user
    hub_user = getattr(user, "hub_user", None) or {}
    return user if "read:metrics" in hub_user.get("scopes", ()) else None


def install_collector_gate(serverapp: Any, metrics_token: str = "") -> None:
    """Authenticate nobody on handlers outside the allow-list (403, never a login redirect)."""
    provider = serverapp.web_app.settings.get("identity_provider") or serverapp.identity_provider
    if getattr(provider, "_progress_tracker_gate", False):
        return
    get_user = provider.get_user

    async def gated_get_user(handler: Any) -> Any:
        if isinstance(handler, PrometheusMetricsHandler):
            return await metrics_reader(handler, get_user, metrics_token)
        if not handler_is_allowed(handler):
            handler.redirect = _forbidden
            return None
        user = get_user(handler)
        return await user if isinstance(user, Awaitable) else user

    provider.get_user = gated_get_user
    provider._progress_tracker_gate = True


def _forbidden(*args: Any, **kwargs: Any) -> None:
    raise web.HTTPError(403, ONLY_THE_TRACKER)


ONLY_THE_TRACKER = "This server only serves the progress tracker's API."


class OutsideTheAllowList(Matcher):
    """Matches every request a collector does not serve: all but its own paths, the status and
    the metrics (which `metrics_reader` keeps to their readers)."""

    def __init__(self, base_url: str, tracker_patterns: Iterable[str]):
        patterns = [url_path_join(base_url, p) for p in tracker_patterns]
        # Literal paths, and the routes with a path argument (e.g. assignments/<id>) as regexes.
        self.tracker_paths = frozenset(p for p in patterns if "(" not in p)
        self.tracker_regexes = [re.compile(p) for p in patterns if "(" in p]
        self.read_only_paths = frozenset(
            url_path_join(base_url, path) for path in ("api/status", "metrics")
        )

    def match(self, request: httputil.HTTPServerRequest) -> dict[str, Any] | None:
        """{} (route to the refusal) unless the request is on the allow-list."""
        path = request.path
        if path in self.tracker_paths or any(r.fullmatch(path) for r in self.tracker_regexes):
            return None
        if path in self.read_only_paths and request.method in ("GET", "HEAD"):
            return None
        return {}


class RefusedHandler(web.RequestHandler):
    """403 for every method, with no authentication and nothing else run."""

    SUPPORTED_METHODS = (*web.RequestHandler.SUPPORTED_METHODS, "PROPFIND", "TRACE", "CONNECT")

    def prepare(self) -> None:
        """Refuse before any verb runs."""
        self.set_status(403)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"message": ONLY_THE_TRACKER}))


def install_allow_list(serverapp: Any, tracker_patterns: Iterable[str]) -> None:
    """Put the refusal of everything outside the allow-list in front of every other route."""
    rules = serverapp.web_app.default_router.rules
    if rules and isinstance(rules[0].matcher, OutsideTheAllowList):
        return
    matcher = OutsideTheAllowList(serverapp.base_url, tracker_patterns)
    rules.insert(0, Rule(matcher, RefusedHandler))


def keep_allow_list_first(serverapp: Any) -> None:
    """Move the refusal back in front if a route was put before it after the extension loaded."""
    rules = serverapp.web_app.default_router.rules
    ours = [rule for rule in rules if isinstance(rule.matcher, OutsideTheAllowList)]
    if ours and rules[0] is not ours[0]:
        log.warning("progress_tracker collector: routes were added before the allow-list")
        rules.remove(ours[0])
        rules.insert(0, ours[0])


def disable_terminals(serverapp: Any) -> None:
    """Turn terminals off; must run before the terminals extension loads (i.e. when linking)."""
    serverapp.terminals_enabled = False


def install_collector_authorizer(
    serverapp: Any, extension_settings: dict[str, Any] | None = None, *, metrics_token: str = ""
) -> CollectorAuthorizer:
    """Wrap the server's authorizer in a CollectorAuthorizer, in the app and the web settings.

    An ExtensionApp copies the web settings before `initialize_settings` and writes its copy
    back after it: pass that copy as `extension_settings`, or the old authorizer returns.
    """
    current = serverapp.web_app.settings.get("authorizer") or serverapp.authorizer
    if isinstance(current, CollectorAuthorizer):
        authorizer = current
    else:
        authorizer = CollectorAuthorizer(
            parent=serverapp,
            log=serverapp.log,
            identity_provider=serverapp.identity_provider,
            inner=current,
        )
        log.info(
            "progress_tracker collector: only %r and read of 'api' are served (wrapping %s)",
            AUTH_RESOURCE,
            type(current).__name__ if current is not None else "nothing",
        )
    serverapp.authorizer = authorizer
    serverapp.web_app.settings["authorizer"] = authorizer
    if extension_settings is not None:
        extension_settings["authorizer"] = authorizer
    install_collector_gate(serverapp, metrics_token)
    return authorizer


def check_locked_down(serverapp: Any, *, metrics_token: str = "") -> None:
    """Re-install the lock-down if anything replaced it after the extension loaded."""
    provider = serverapp.web_app.settings.get("identity_provider", serverapp.identity_provider)
    gated = getattr(provider, "_progress_tracker_gate", False)
    if not gated or not isinstance(
        serverapp.web_app.settings.get("authorizer"), CollectorAuthorizer
    ):
        log.warning("progress_tracker collector: the authorizer was replaced; locking down again")
        install_collector_authorizer(serverapp, metrics_token=metrics_token)
    keep_allow_list_first(serverapp)
    if serverapp.terminals_enabled or serverapp.web_app.settings.get("terminal_manager"):
        log.warning(
            "progress_tracker collector: terminals were enabled before the lock-down; "
            "they stay unreachable (403) through the authorizer"
        )
