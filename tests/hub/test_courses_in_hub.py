"""Two courses on one real hub: everybody sees exactly their courses and sections, everywhere.

cs101 has sections a (s101a, sboth; TA ta101a) and b (s101b); cs102 has s102 and sboth. The
groups are the hub's (tests/hub/jupyterhub_config.py); the collector resolves them itself.
"""

from __future__ import annotations

import json
import uuid

import pytest
import requests
import websocket

from tests.conftest import make_event
from tests.hub.conftest import Hub
from tests.waiting import wait_until

pytestmark = pytest.mark.hub

CELLS = [
    {"cellId": "c1", "gradeId": None, "cellType": "code", "label": "load", "source": "x = 1"},
    {"cellId": "c2", "gradeId": "ex1", "cellType": "code", "label": "ex 1", "source": "y = ..."},
]
SEES = {
    "prof101": {"s101a", "s101b", "sboth"},
    "ta101a": {"s101a", "sboth"},
    "prof102": {"s102"},
    "hubadmin": {"s101a", "s101b", "s102", "sboth"},
}
STUDENTS = {"s101a", "s101b", "s102", "sboth"}


def call(url: str, token: str, method: str = "GET", **kwargs) -> requests.Response:
    return requests.request(method, url, headers=Hub.auth(token), timeout=60, **kwargs)


def send(hub: Hub, token: str, *events: dict) -> None:
    response = call(f"{hub.service_url}api/v1/events", token, "POST", data=json.dumps(events))
    assert response.status_code == 202, response.text


@pytest.fixture(scope="module")
def published(hub, course_tokens) -> str:
    """Lab 1 of cs101, published by prof101 through the relay of their own server."""
    hub.spawn("prof101")
    body = {"course": "cs101", "title": "Lab 1", "path": "lab1.ipynb", "cells": CELLS}
    response = call(
        f"{hub.server_url('prof101')}api/v1/assignments",
        course_tokens["prof101"],
        "POST",
        json=body,
    )
    assert response.status_code == 201, response.text
    return response.json()["assignmentId"]


def run(assignment: str, cell: str, path: str, **fields) -> dict:
    return {**make_event(notebookPath=path, cellId=cell, **fields), "assignmentId": assignment}


@pytest.fixture(scope="module")
def classes(hub, course_tokens, published) -> str:
    """Every student runs lab 1 from a copy of their own; s102 names cs101's assignment."""
    tokens = course_tokens
    send(hub, tokens["s101a"], run(published, "c1", "lab1.ipynb"))
    send(hub, tokens["s101b"], run(published, "c1", "copies/lab1-Copy1.ipynb", hasError=True))
    send(hub, tokens["sboth"], {**run(published, "renamed", "mine.ipynb"), "gradeId": "ex1"})
    send(hub, tokens["s102"], run(published, "c1", "lab1.ipynb"))  # not their course
    send(hub, tokens["s101a"], run(published, "scratch", "lab1.ipynb"))  # an own cell

    def stored() -> bool:
        rows = hub.stored(
            "SELECT count(*) AS n FROM cell_executions e JOIN students s ON s.id = e.student_id"
            " WHERE s.user_id = ANY($1::text[])",
            sorted(STUDENTS),
        )
        return rows[0]["n"] >= 5

    wait_until(stored, "the five executions to be stored")
    return published


@pytest.mark.parametrize("caller", sorted(SEES))
def test_each_caller_sees_exactly_their_scope_on_every_endpoint(
    hub, course_tokens, classes, caller
):
    token = course_tokens[caller]
    expected = SEES[caller] - ({"s102"} if caller != "hubadmin" else set())
    in_assignment = expected - {"s102"}  # s102 is not in cs101: their events stayed theirs
    for path in ("progress", "executions", "errors", "export.csv"):
        response = call(f"{hub.service_url}api/v1/{path}?assignment={classes}", token)
        assert response.status_code == 200, (path, response.text)
        seen = {student for student in STUDENTS if student in response.text}
        want = in_assignment if caller != "prof102" else set()
        if path == "errors":  # only s101b failed a cell
            want = want & {"s101b"}
        assert seen == want, (caller, path, seen)
    listed = call(f"{hub.service_url}api/v1/assignments", token).json()["assignments"]
    assert [a["assignmentId"] for a in listed] == ([] if caller == "prof102" else [classes])
    everything = call(f"{hub.service_url}api/v1/executions", token).text
    assert {s for s in STUDENTS if s in everything} == SEES[caller], caller


def test_the_grid_is_the_published_assignment_whatever_the_copy(hub, course_tokens, classes):
    snapshot = call(
        f"{hub.service_url}api/v1/progress?assignment={classes}", course_tokens["prof101"]
    ).json()
    assert [c["cellId"] for c in snapshot["columns"]] == ["c1", "c2"]
    assert [c["label"] for c in snapshot["columns"]] == ["load", "ex 1"]
    cells = {s["userId"]: set(s["cells"]) for s in snapshot["students"]}
    assert cells == {"s101a": {"c1"}, "s101b": {"c1"}, "sboth": {"c2"}}
    assert snapshot["ownCells"] == {"s101a": {"runs": 1, "errors": 0}}


def test_a_student_claiming_another_courses_assignment_stays_in_their_own_course(
    hub, course_tokens, classes
):
    rows = hub.stored(
        "SELECT e.course_id, n.assignment_id, n.path FROM cell_executions e"
        " JOIN students s ON s.id = e.student_id JOIN notebooks n ON n.id = e.notebook_id"
        " WHERE s.user_id = 's102'"
    )
    assert [tuple(row) for row in rows] == [("cs102", "", "lab1.ipynb")]
    theirs = call(
        f"{hub.service_url}api/v1/progress?notebook=lab1.ipynb", course_tokens["prof102"]
    ).json()
    assert [s["userId"] for s in theirs["students"]] == ["s102"]


def open_socket(url: str, token: str) -> websocket.WebSocket:
    socket = websocket.create_connection(
        url.replace("http://", "ws://", 1) + "api/v1/ws",
        header=[f"Authorization: token {token}"],
        timeout=120,
    )
    assert json.loads(socket.recv())["type"] == "caught_up"
    return socket


def events_of(socket: websocket.WebSocket, count: int) -> list[dict]:
    events: list[dict] = []
    while len(events) < count:
        message = json.loads(socket.recv())
        if message["type"] == "events":
            events += message["events"]
    return events


def test_the_live_socket_carries_only_the_scope(hub, course_tokens, classes):
    ta = open_socket(hub.service_url, course_tokens["ta101a"])
    prof102 = open_socket(hub.service_url, course_tokens["prof102"])
    try:
        marker = uuid.uuid4().hex[:8]
        for student in ("s101b", "s102", "s101a"):
            send(hub, course_tokens[student], make_event(notebookPath=f"live-{marker}.ipynb"))
        assert [e["userId"] for e in events_of(ta, 1)] == ["s101a"]
        assert [e["userId"] for e in events_of(prof102, 1)] == ["s102"]
    finally:
        ta.close()
        prof102.close()


def test_the_instructors_server_relays_assignments_and_courses(hub, course_tokens, classes):
    url, token = hub.server_url("prof101"), course_tokens["prof101"]
    one = call(f"{url}api/v1/assignments/{classes}", token)
    assert one.status_code == 200, one.text
    assert [c["cellId"] for c in one.json()["cells"]] == ["c1", "c2"]
    courses = call(f"{url}api/v1/courses", token).json()["courses"]
    assert courses == [
        {"id": "cs101", "title": "cs101", "role": "instructor", "sections": ["a", "b"]}
    ]
    assert call(f"{url}api/v1/me", token).json()["courses"] == courses
