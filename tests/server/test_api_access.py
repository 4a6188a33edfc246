"""Who may call what: authentication, XSRF, and the instructor check."""

from __future__ import annotations

import json
from http.cookies import SimpleCookie

import pytest

from tests.conftest import make_event
from tests.hub_like import HubLikeIdentityProvider

pytestmark = pytest.mark.usefixtures("jp_serverapp")

INSTRUCTOR_ONLY = [
    "progress",
    "executions",
    "errors?notebook=x",
    "pace?notebook=x",
    "export.csv",
    "health",
]


@pytest.fixture
def fetch(http_server_client):
    """Fetch a server path with no credentials but those given; errors are returned."""

    async def _fetch(path: str, **kwargs):
        return await http_server_client.fetch(path, raise_error=False, **kwargs)

    return _fetch


def url(jp_base_url, path: str) -> str:
    return f"{jp_base_url}api/v1/{path}"


async def test_without_authentication_every_endpoint_answers_403(fetch, jp_base_url):
    post = await fetch(url(jp_base_url, "events"), method="POST", body=json.dumps([make_event()]))
    assert post.code == 403
    for path in ["me", "settings", *INSTRUCTOR_ONLY]:
        response = await fetch(url(jp_base_url, path))
        assert response.code == 403, path


async def test_a_cookie_authenticated_post_needs_the_xsrf_token(fetch, jp_base_url, jp_serverapp):
    login = f"{jp_base_url}login"
    page = await fetch(login)
    xsrf = SimpleCookie(page.headers.get_list("Set-Cookie")[0])["_xsrf"].value
    logged_in = await fetch(
        login,
        method="POST",
        body=f"password={jp_serverapp.identity_provider.token}&_xsrf={xsrf}",
        headers={"Cookie": f"_xsrf={xsrf}"},
        follow_redirects=False,
    )
    cookies = SimpleCookie()
    for header in logged_in.headers.get_list("Set-Cookie"):
        cookies.load(header)
    jar = "; ".join(f"{k}={v.value}" for k, v in cookies.items())
    jar = f"{jar}; _xsrf={xsrf}"
    events_url = url(jp_base_url, "events")
    body = json.dumps([make_event()])

    without = await fetch(events_url, method="POST", body=body, headers={"Cookie": jar})
    assert without.code == 403
    assert "_xsrf" in json.loads(without.body)["message"]

    with_token = await fetch(
        events_url, method="POST", body=body, headers={"Cookie": jar, "X-XSRFToken": xsrf}
    )
    assert with_token.code == 202


async def test_in_single_user_mode_the_token_holder_is_the_owner_and_instructor(jp_fetch):
    response = await jp_fetch("api", "v1", "me")
    assert json.loads(response.body) == {
        "userId": "teacher",
        "isInstructor": True,
        "isAdmin": True,
        "mode": "embedded",
        "courses": [{"id": "default", "title": "default", "role": "instructor", "sections": []}],
    }


HUB_LIKE = {"identity_provider_class": HubLikeIdentityProvider}


@pytest.fixture
def hub_like_server_config(database_url):
    return {
        "ServerApp": {
            "jpserver_extensions": {"progress_tracker": True, "jupyter_server_terminals": False},
            "identity_provider_class": HubLikeIdentityProvider,
        },
        "ProgressTracker": {"database_url": database_url, "instructor_users": ["ta1"]},
    }


class TestUnderJupyterHubIdentities:
    """With hub users, instructors are the configured groups and users; students are not."""

    @pytest.fixture
    def jp_server_config(self, hub_like_server_config):
        return hub_like_server_config

    async def call(self, fetch, jp_base_url, path, token, **kwargs):
        return await fetch(
            url(jp_base_url, path),
            headers={"Authorization": f"token {token}"},
            **kwargs,
        )

    async def test_a_student_is_refused_every_dashboard_endpoint(self, fetch, jp_base_url):
        for path in INSTRUCTOR_ONLY:
            response = await self.call(fetch, jp_base_url, path, "student-token")
            assert response.code == 403, path
            assert "instructors" in json.loads(response.body)["message"]

    async def test_a_student_may_send_events_only_as_themselves(self, fetch, jp_base_url):
        body = json.dumps([make_event(userId="prof")])
        sent = await self.call(
            fetch, jp_base_url, "events", "student-token", method="POST", body=body
        )
        assert sent.code == 202
        snapshot = await self.call(fetch, jp_base_url, "progress", "instructor-token")
        assert [s["userId"] for s in json.loads(snapshot.body)["students"]] == ["student1"]

    @pytest.mark.parametrize(
        ("token", "who", "instructor"),
        [
            ("student-token", "student1", False),
            ("instructor-token", "prof", True),
            ("listed-token", "ta1", True),
        ],
    )
    async def test_me_reports_the_hub_user_and_role(
        self, fetch, jp_base_url, token, who, instructor
    ):
        response = await self.call(fetch, jp_base_url, "me", token)
        me = json.loads(response.body)
        assert (me["userId"], me["isInstructor"]) == (who, instructor)
