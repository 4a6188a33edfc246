"""A student's executions go through their own server to the collector, once, and live to instructors."""

from __future__ import annotations

import json
import re
import uuid

import pytest
import requests
import websocket

from tests.conftest import make_event
from tests.hub.conftest import Hub

pytestmark = pytest.mark.hub


def post_events(url: str, token: str, events: list[dict]) -> requests.Response:
    return requests.post(
        f"{url}api/v1/events", data=json.dumps(events), headers=Hub.auth(token), timeout=60
    )


def executions(hub: Hub, token: str, notebook: str) -> list[dict]:
    """The stored executions of `notebook`, read through the instructor's own server."""
    response = requests.get(
        f"{hub.server_url('instructor1')}api/v1/executions",
        params={"notebook": notebook},
        headers=Hub.auth(token),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()["executions"]


def live_socket(url: str, token: str) -> websocket.WebSocket:
    ws_url = url.replace("http://", "ws://", 1) + "api/v1/ws"
    return websocket.create_connection(ws_url, header=[f"Authorization: token {token}"], timeout=60)


def receive_events(socket: websocket.WebSocket, wanted: set[str]) -> list[dict]:
    """Events read from the socket until every id in `wanted` arrived."""
    received: list[dict] = []
    while not wanted <= {event["eventId"] for event in received}:
        message = json.loads(socket.recv())
        if message["type"] == "events":
            received.extend(message["events"])
    return received


def notebook_name() -> str:
    return f"course/{uuid.uuid4().hex[:8]}.ipynb"


def test_executions_sent_to_the_own_server_are_stored_once_and_reach_the_instructor_live(
    hub, tokens
):
    notebook = notebook_name()
    batch = [
        make_event(notebookPath=notebook, cellId=f"c{i}", cellIndex=i, userId="instructor1")
        for i in range(3)
    ]
    socket = live_socket(hub.server_url("instructor1"), tokens["instructor1"])
    try:
        first = post_events(hub.server_url("student1"), tokens["student1"], batch)
        assert first.status_code == 202, first.text
        assert first.json()["processed_count"] == 3
        retry = post_events(hub.server_url("student1"), tokens["student1"], batch)
        assert retry.status_code == 202, retry.text

        live = receive_events(socket, {event["eventId"] for event in batch})
    finally:
        socket.close()
    assert sorted(event["eventId"] for event in live) == sorted(e["eventId"] for e in batch)
    assert {event["userId"] for event in live} == {"student1"}

    stored = executions(hub, tokens["instructor1"], notebook)
    assert [event["eventId"] for event in stored] == [event["eventId"] for event in batch]
    rows = hub.stored(
        "SELECT s.user_id, count(*) FROM cell_executions e JOIN students s ON s.id = e.student_id"
        " WHERE e.event_id = ANY($1::text[]) GROUP BY s.user_id",
        [event["eventId"] for event in batch],
    )
    assert [tuple(row) for row in rows] == [("student1", 3)]


def test_a_server_configured_with_the_proxy_url_forwards_as_well(hub, tokens):
    notebook = notebook_name()
    event = make_event(notebookPath=notebook)
    response = post_events(hub.server_url("student2"), tokens["student2"], [event])
    assert response.status_code == 202, response.text
    assert hub.stored_event_ids(notebook, expected=1) == [event["eventId"]]
    [stored] = executions(hub, tokens["instructor1"], notebook)
    assert (stored["eventId"], stored["userId"]) == (event["eventId"], "student2")


def test_a_student_logged_in_through_the_hub_form_posts_with_the_cookie_and_xsrf(hub, tokens):
    browser = requests.Session()
    login = browser.get(f"{hub.url}hub/login", timeout=30)
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', login.text).group(1)
    home = browser.post(
        f"{hub.url}hub/login?next=/hub/home",
        data={"username": "student1", "password": hub.password, "_xsrf": xsrf},
        timeout=30,
    )
    assert home.status_code == 200, home.text
    lab = browser.get(f"{hub.server_url('student1')}lab", timeout=60)  # OAuth round trip
    assert lab.status_code == 200
    me = browser.get(f"{hub.server_url('student1')}api/v1/me", timeout=30)
    assert me.json()["userId"] == "student1"
    server_xsrf = browser.cookies.get("_xsrf", path="/user/student1/")
    notebook = notebook_name()
    event = make_event(notebookPath=notebook)
    url = f"{hub.server_url('student1')}api/v1/events"

    without_xsrf = browser.post(url, data=json.dumps([event]), timeout=30)
    assert without_xsrf.status_code == 403
    accepted = browser.post(
        url, data=json.dumps([event]), headers={"X-XSRFToken": server_xsrf}, timeout=30
    )
    assert accepted.status_code == 202, accepted.text
    assert hub.stored_event_ids(notebook, expected=1) == [event["eventId"]]
    [stored] = executions(hub, tokens["instructor1"], notebook)
    assert stored["userId"] == "student1"


def test_invalid_batches_are_refused_with_the_reason_not_retried(hub, tokens):
    invalid = make_event(eventTime="yesterday")
    response = post_events(hub.server_url("student1"), tokens["student1"], [invalid])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "eventTime"
