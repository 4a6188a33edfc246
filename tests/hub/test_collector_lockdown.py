"""A server in collector mode serves only the tracker's API, from the moment it is loaded."""

from __future__ import annotations

import pytest
from tornado.httpclient import HTTPClientError

from progress_tracker.access.lockdown import CollectorAuthorizer

pytestmark = pytest.mark.usefixtures("jp_serverapp")


@pytest.fixture
def tracker_config():
    return {"mode": "collector"}


@pytest.fixture
def jp_server_config(database_url, tracker_config):
    """Terminals installed and enabled, as on a stock server: collector mode must turn them off."""
    return {
        "ServerApp": {
            "jpserver_extensions": {"progress_tracker": True},
            "allow_unauthenticated_access": False,
        },
        "ProgressTracker": {"database_url": database_url, **tracker_config},
    }


async def status(jp_fetch, *parts: str, method: str = "GET", **kwargs) -> int:
    try:
        response = await jp_fetch(*parts, method=method, **kwargs)
    except HTTPClientError as err:
        return err.code
    return response.code


def test_the_loaded_server_uses_the_collector_authorizer_and_no_terminals(jp_serverapp):
    assert isinstance(jp_serverapp.web_app.settings["authorizer"], CollectorAuthorizer)
    assert jp_serverapp.terminals_enabled is False
    assert "terminal_manager" not in jp_serverapp.web_app.settings


@pytest.mark.parametrize(
    ("method", "parts", "body"),
    [
        ("GET", ("api", "kernels"), None),
        ("POST", ("api", "kernels"), "{}"),
        ("GET", ("api", "contents"), None),
        ("GET", ("api", "sessions"), None),
        ("GET", ("api", "me"), None),
        ("GET", ("api", "kernelspecs"), None),
        ("GET", ("api", "config", "notebook"), None),
    ],
)
async def test_everything_else_is_forbidden_even_to_the_token_holder(jp_fetch, method, parts, body):
    assert await status(jp_fetch, *parts, method=method, body=body) == 403


@pytest.mark.parametrize(
    ("method", "parts"),
    [
        ("GET", ("api", "resolvePath")),
        ("GET", ("api", "spec.yaml")),
        ("HEAD", ("api", "spec.yaml")),
        ("GET", ("lab", "api", "licenses", "")),
        ("GET", ("metrics",)),
        ("POST", ("api", "status")),
        ("GET", ("api", "v1", "events", "..", "..", "contents")),
        ("GET", ("static", "favicon.ico")),
    ],
)
async def test_everything_outside_the_allow_list_is_refused_before_any_handler(
    jp_fetch, method, parts
):
    """Observation 12: api/resolvePath, api/spec.yaml (HEAD: 500) and lab/api/licenses/ (never
    answers) were reachable."""
    body = "{}" if method == "POST" else None
    assert await status(jp_fetch, *parts, method=method, body=body) == 403


async def test_terminals_do_not_exist(jp_fetch):
    assert await status(jp_fetch, "api", "terminals", method="POST", body="{}") in (403, 404)


async def test_the_tracker_api_and_the_status_stay_reachable(jp_fetch):
    assert await status(jp_fetch, "api", "status") == 200
    assert await status(jp_fetch, "api", "v1", "me") == 200
    assert await status(jp_fetch, "api", "v1", "settings") == 200
