"""How a process decides its role from the configuration and JupyterHub's environment."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import pytest

from progress_tracker.access.mode import public_service_url, resolve_role

USER_SERVER = {"JUPYTERHUB_API_TOKEN": "server-token", "JUPYTERHUB_USER": "alice"}


def resolve(mode: str = "auto", collector_url: str = "", **env: str):
    return resolve_role(
        mode=mode, service_name="progress-tracker", collector_url=collector_url, env=env
    )


def test_outside_jupyterhub_a_server_is_embedded():
    assert resolve().mode == "embedded"


def test_the_service_named_like_the_collector_is_the_collector():
    assert resolve(JUPYTERHUB_SERVICE_NAME="progress-tracker").mode == "collector"
    assert resolve(JUPYTERHUB_SERVICE_NAME="another-service").mode == "embedded"


def test_a_user_server_with_a_collector_url_forwards_to_it():
    role = resolve(collector_url="http://hub:8000/services/progress-tracker", **USER_SERVER)
    assert (role.mode, role.collector_url) == (
        "forwarder",
        "http://hub:8000/services/progress-tracker/",
    )


def test_a_user_server_without_a_known_collector_stays_embedded():
    env = {**USER_SERVER, "JUPYTERHUB_API_URL": "http://127.0.0.1:9/hub/api"}  # nothing there
    assert resolve(**env).mode == "embedded"


def test_an_explicit_mode_wins_and_a_forwarder_needs_a_collector():
    assert resolve("embedded", JUPYTERHUB_SERVICE_NAME="progress-tracker").mode == "embedded"
    assert resolve("collector").mode == "collector"
    with pytest.raises(ValueError, match="no collector URL"):
        resolve("forwarder", **USER_SERVER)
    with pytest.raises(ValueError, match="JUPYTERHUB_API_TOKEN"):
        resolve("forwarder", collector_url="http://collector/")


class FakeHubApi(BaseHTTPRequestHandler):
    """Answers GET /hub/api/services/<name> like JupyterHub, by the token's scopes."""

    models: ClassVar[dict[str, dict[str, Any]]] = {
        "full-token": {
            "name": "progress-tracker",
            "url": "http://10.0.0.5:10101",
            "prefix": "/services/progress-tracker/",
        },
        "name-only-token": {"name": "progress-tracker", "kind": "service"},
    }

    def do_GET(self) -> None:
        token = self.headers.get("Authorization", "").removeprefix("token ")
        model = self.models.get(token)
        if self.path != "/hub/api/services/progress-tracker" or model is None:
            self.send_response(403)
            self.end_headers()
            return
        body = json.dumps(model).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        """Quiet."""


@pytest.fixture
def hub_api():
    server = HTTPServer(("127.0.0.1", 0), FakeHubApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hub/api"
    server.shutdown()
    server.server_close()


def test_a_user_server_asks_the_hub_where_the_collector_listens(hub_api):
    role = resolve(
        JUPYTERHUB_API_URL=hub_api, JUPYTERHUB_API_TOKEN="full-token", JUPYTERHUB_USER="alice"
    )
    assert (role.mode, role.collector_url) == (
        "forwarder",
        "http://10.0.0.5:10101/services/progress-tracker/",
    )


def test_without_read_services_the_public_hub_url_is_used(hub_api):
    env = {
        "JUPYTERHUB_API_URL": hub_api,
        "JUPYTERHUB_API_TOKEN": "name-only-token",
        "JUPYTERHUB_USER": "alice",
        "JUPYTERHUB_PUBLIC_HUB_URL": "https://hub.example.org/jh/hub/",
        "JUPYTERHUB_BASE_URL": "/jh/",
    }
    role = resolve(**env)
    assert role.collector_url == "https://hub.example.org/jh/services/progress-tracker/"
    no_public_url = {k: v for k, v in env.items() if k != "JUPYTERHUB_PUBLIC_HUB_URL"}
    assert resolve(**no_public_url).mode == "embedded"


def test_the_public_service_url_is_built_from_the_hub_url_and_base_url():
    assert (
        public_service_url("https://hub.example.org/hub/", "/", "progress-tracker")
        == "https://hub.example.org/services/progress-tracker/"
    )
