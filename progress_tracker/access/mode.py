"""Which role a server process plays: embedded, collector (hub service) or forwarder (user server).

Resolved once, when the extension links, and carried in the settings from then on.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

log = logging.getLogger(__name__)

MODES = ("embedded", "collector", "forwarder")
HUB_LOOKUP_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Role:
    """A resolved mode, the collector's URL for a forwarder, and why it was chosen."""

    mode: str
    collector_url: str = ""
    reason: str = ""


def resolve_role(
    *, mode: str, service_name: str, collector_url: str, env: Mapping[str, str]
) -> Role:
    """Resolve `mode` ('auto' or explicit) from the configuration and JupyterHub's environment."""
    if mode == "collector" or (
        mode == "auto" and env.get("JUPYTERHUB_SERVICE_NAME") == service_name
    ):
        return Role(
            "collector", reason=f"hub service {service_name!r}" if mode == "auto" else "set"
        )
    if mode == "embedded":
        return Role("embedded", reason="set")
    under_hub = bool(env.get("JUPYTERHUB_API_TOKEN") and env.get("JUPYTERHUB_USER"))
    if mode == "auto" and not under_hub:
        return Role("embedded", reason="not a JupyterHub user server")
    url, source = _collector_url(service_name, collector_url, env)
    if url and not env.get("JUPYTERHUB_API_TOKEN"):
        raise ValueError(
            "A forwarder posts with this server's JupyterHub token, but JUPYTERHUB_API_TOKEN is "
            "not set: run it as a JupyterHub user server, or choose another mode."
        )
    if url:
        return Role("forwarder", collector_url=url, reason=f"collector at {url} ({source})")
    if mode == "forwarder":
        raise ValueError(
            "ProgressTracker.mode is 'forwarder' but no collector URL is known: set "
            "ProgressTracker.collector_url (or PROGRESS_TRACKER_URL), or run under JupyterHub "
            f"with a service named {service_name!r} that this server's token may read."
        )
    return Role("embedded", reason=f"no collector found for hub service {service_name!r}")


def _collector_url(service_name: str, configured: str, env: Mapping[str, str]) -> tuple[str, str]:
    """The collector's base URL and where it came from; ('', '') when unknown."""
    if configured:
        return _with_slash(configured), "configured"
    from_hub = lookup_service_url(service_name, env)
    if from_hub:
        return from_hub, "hub API"
    public_hub = env.get("JUPYTERHUB_PUBLIC_HUB_URL", "")
    if public_hub and env.get("JUPYTERHUB_API_TOKEN"):
        return public_service_url(public_hub, env.get("JUPYTERHUB_BASE_URL", "/"), service_name), (
            "public hub URL"
        )
    return "", ""


def lookup_service_url(service_name: str, env: Mapping[str, str]) -> str:
    """Ask the hub where the service listens (needs the read:services scope); '' if not allowed."""
    api_url, token = env.get("JUPYTERHUB_API_URL", ""), env.get("JUPYTERHUB_API_TOKEN", "")
    if not api_url or not token:
        return ""
    name = urllib.parse.quote(service_name, safe="")
    request = urllib.request.Request(
        f"{api_url.rstrip('/')}/services/{name}", headers={"Authorization": f"token {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=HUB_LOOKUP_TIMEOUT_S) as response:
            model = json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError) as err:
        log.info("progress_tracker: the hub did not tell where %r is: %s", service_name, err)
        return ""
    url, prefix = model.get("url") or "", model.get("prefix") or ""
    if not url or not prefix:
        return ""  # the token may see the name only (no read:services), or the service has no URL
    return f"{url.rstrip('/')}/{prefix.lstrip('/')}"


def public_service_url(public_hub_url: str, base_url: str, service_name: str) -> str:
    """`https://host{base_url}services/<name>/` from the hub's public URL (`.../hub/`)."""
    parts = urllib.parse.urlsplit(public_hub_url)
    base = _with_slash(base_url or "/")
    path = f"{base}services/{urllib.parse.quote(service_name, safe='')}/"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else f"{url}/"
