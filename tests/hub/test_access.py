"""What a student can reach under JupyterHub: their own events, nothing else, no credentials."""

from __future__ import annotations

import json
import uuid

import pytest
import requests
import websocket

from tests.conftest import make_event
from tests.hub.conftest import Hub

pytestmark = pytest.mark.hub

INSTRUCTOR_ONLY = [
    "progress",
    "executions?notebook=x",
    "errors?notebook=x",
    "pace?notebook=x",
    "export.csv",
    "health",
]


def get(url: str, token: str) -> requests.Response:
    return requests.get(url, headers=Hub.auth(token), timeout=30, allow_redirects=False)


def ws_status(url: str, token: str) -> int:
    """The HTTP status of a WebSocket upgrade (101 when it opened)."""
    ws_url = url.replace("http://", "ws://", 1) + "api/v1/ws"
    try:
        socket = websocket.create_connection(
            ws_url, header=[f"Authorization: token {token}"], timeout=60
        )
    except websocket.WebSocketBadStatusException as err:
        return err.status_code
    socket.close()
    return 101


@pytest.mark.parametrize("path", INSTRUCTOR_ONLY)
def test_a_student_gets_403_for_instructor_endpoints_at_the_own_server_and_the_service(
    hub, tokens, path
):
    own = get(f"{hub.server_url('student1')}api/v1/{path}", tokens["student1"])
    assert own.status_code == 403, own.text
    direct = get(f"{hub.service_url}api/v1/{path}", tokens["student1"])
    assert direct.status_code == 403, direct.text
    instructor = get(f"{hub.server_url('instructor1')}api/v1/{path}", tokens["instructor1"])
    assert instructor.status_code == 200, instructor.text


def test_a_student_cannot_open_the_live_socket_anywhere(hub, tokens):
    assert ws_status(hub.server_url("student1"), tokens["student1"]) == 403
    assert ws_status(hub.service_url, tokens["student1"]) == 403
    assert ws_status(hub.server_url("instructor1"), tokens["instructor1"]) == 101


def test_a_student_cannot_use_the_instructors_server(hub, tokens):
    response = get(f"{hub.server_url('instructor1')}api/v1/progress", tokens["student1"])
    assert response.status_code == 403
    assert ws_status(hub.server_url("instructor1"), tokens["student1"]) == 403


def test_events_are_stored_under_the_authenticated_student_whatever_the_body_says(hub, tokens):
    notebook = f"course/{uuid.uuid4().hex[:8]}.ipynb"
    via_server = make_event(notebookPath=notebook, userId="instructor1", userName="instructor1")
    via_service = make_event(notebookPath=notebook, userId="student2", cellId="cell-b")
    for url, event in ((hub.server_url("student1"), via_server), (hub.service_url, via_service)):
        response = requests.post(
            f"{url}api/v1/events",
            data=json.dumps([event]),
            headers=Hub.auth(tokens["student1"]),
            timeout=30,
        )
        assert response.status_code == 202, response.text
    assert len(hub.stored_event_ids(notebook, expected=2)) == 2
    rows = hub.stored(
        "SELECT e.event_id, s.user_id FROM cell_executions e"
        " JOIN students s ON s.id = e.student_id WHERE e.event_id = ANY($1::text[])",
        [via_server["eventId"], via_service["eventId"]],
    )
    assert {row["user_id"] for row in rows} == {"student1"}
    assert len(rows) == 2


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "api/kernels"),
        ("POST", "api/kernels"),
        ("GET", "api/sessions"),
        ("POST", "api/terminals"),
        ("GET", "api/terminals"),
        ("GET", "api/contents"),
        ("PUT", "api/contents/x.txt"),
        ("GET", "files/collector.log"),
        ("GET", "api/kernelspecs"),
        ("GET", "api/config/notebook"),
        ("GET", "api/events/subscribe"),
        ("GET", "lab/api/settings"),
        ("PUT", "lab/api/settings/@jupyterlab/apputils-extension:themes"),
        ("PUT", "lab/api/workspaces/x"),
        ("GET", "lab"),
    ],
)
def test_the_collector_serves_no_kernels_terminals_or_files_to_anybody(hub, tokens, method, path):
    for user in ("student1", "instructor1"):
        response = requests.request(
            method,
            f"{hub.service_url}{path}",
            headers=Hub.auth(tokens[user]),
            json={} if method in ("POST", "PUT") else None,
            timeout=30,
            allow_redirects=False,
        )
        assert response.status_code in (403, 404), (user, method, path, response.status_code)
        assert response.status_code != 404 or "terminals" in path, (user, method, path)


def test_the_collector_still_answers_its_status(hub, tokens):
    assert get(f"{hub.service_url}api/status", tokens["student1"]).status_code == 200


def test_a_students_server_holds_no_collector_or_database_credentials(hub):
    student = hub.server_environment("student1")
    collector = next(
        env
        for env in hub_processes(hub)
        if env.get("JUPYTERHUB_SERVICE_NAME") == "progress-tracker"
    )
    assert not any(name in student for name in ("DATABASE_URL", "REDIS_URL"))
    secrets_of_the_collector = {collector["JUPYTERHUB_API_TOKEN"], hub.database, hub.admin_token}
    leaked = [s for s in secrets_of_the_collector for value in student.values() if s in value]
    assert leaked == []
    assert "JUPYTERHUB_API_TOKEN" in student  # its own token, which acts only as the student


def hub_processes(hub: Hub) -> list[dict[str, str]]:
    from tests.hub.conftest import marked_processes

    return list(marked_processes(hub.marker).values())
