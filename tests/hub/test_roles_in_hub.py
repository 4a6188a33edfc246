"""Under JupyterHub the same extension plays the collector (the service) and forwarders (user servers)."""

from __future__ import annotations

import pytest
import requests

from tests.hub.conftest import Hub

pytestmark = pytest.mark.hub


def me(url: str, token: str) -> dict:
    response = requests.get(f"{url}api/v1/me", headers=Hub.auth(token), timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_service_is_the_collector_and_user_servers_forward(hub, tokens):
    assert me(hub.service_url, tokens["student1"])["mode"] == "collector"
    for user in ("student1", "student2", "instructor1"):
        assert me(hub.server_url(user), tokens[user])["mode"] == "forwarder"


def test_instructors_are_the_hub_group_members_as_the_collector_sees_them(hub, tokens):
    assert me(hub.server_url("student1"), tokens["student1"]) == {
        "userId": "student1",
        "isInstructor": False,
        "isAdmin": False,
        "courses": [],
        "mode": "forwarder",
    }
    # the legacy instructors group: instructors of the implicit course
    assert me(hub.server_url("instructor1"), tokens["instructor1"]) == {
        "userId": "instructor1",
        "isInstructor": True,
        "isAdmin": False,
        "courses": [{"id": "default", "title": "default", "role": "instructor", "sections": []}],
        "mode": "forwarder",
    }
    assert me(hub.service_url, tokens["instructor1"])["isInstructor"] is True
    assert me(hub.service_url, tokens["student1"])["isInstructor"] is False


def test_a_user_server_finds_the_collector_through_the_hub_or_its_configured_url(hub):
    hub_found = hub.server_environment("student1")
    assert hub_found.get("PROGRESS_TRACKER_URL", "") == ""  # looked up with read:services
    configured = hub.server_environment("student2")
    assert configured["PROGRESS_TRACKER_URL"] == hub.service_url  # through the proxy
