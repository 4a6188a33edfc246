"""Consent per course through a student's own server under JupyterHub: the forwarder relays the
list and the choice (with `?course=`) to the collector, and its answer to the browser says how
many events the collector did not keep.

The collector is a real `jupyter server` subprocess whose users are tests/privacy/identities.py's;
this test's server is student4's own server, forwarding with student4's token.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_event
from tests.courses_like import lab_cells
from tests.jupyter_process import JupyterServer

from .identities import COURSES

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def collector(tmp_path):
    root = tmp_path / "collector"
    (root / "config").mkdir(parents=True)
    config = {
        "ServerApp": {
            "identity_provider_class": "tests.privacy.identities.CollectorIdentityProvider"
        },
        "Privacy": {"courses": COURSES},
    }
    (root / "config" / "jupyter_server_config.json").write_text(json.dumps(config))
    server = JupyterServer(
        root, f"sqlite+aiosqlite:///{tmp_path}/c.sqlite", env={"PYTHONPATH": str(REPO)}
    )
    server.start()
    yield server
    if server.process and server.process.poll() is None:
        server.stop()


@pytest.fixture
def jp_server_config(collector, monkeypatch):
    """This test server is student4's own server (its token is theirs), forwarding to
    `collector`."""
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "s4-token")
    monkeypatch.setenv("JUPYTERHUB_USER", "student4")
    return {
        "ServerApp": {
            "jpserver_extensions": {"progress_tracker": True, "jupyter_server_terminals": False},
            "allow_unauthenticated_access": False,
        },
        "ProgressTracker": {
            "mode": "forwarder",
            "collector_url": f"http://127.0.0.1:{collector.port}/",
            "owner_name": "student4",
        },
    }


def publish_on_collector(collector: JupyterServer, course: str) -> str:
    """Publish lab 1 in `course` as its instructor, on the collector; the assignment id."""
    body = {"course": course, "title": "Lab 1", "path": "lab1.ipynb", "cells": lab_cells()}
    request = urllib.request.Request(
        f"http://127.0.0.1:{collector.port}/api/v1/assignments",
        method="POST",
        data=json.dumps(body).encode(),
        headers={"Authorization": "token prof-token", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["assignmentId"]


async def forwarder(jp_fetch, method: str, path: str, body: Any = None, **params: str) -> Any:
    kwargs: dict[str, Any] = {"method": method, "params": params, "raise_error": False}
    if body is not None:
        kwargs["body"] = json.dumps(body)
        kwargs["headers"] = {"Content-Type": "application/json"}
    response = await jp_fetch("api", "v1", *path.split("/"), **kwargs)
    return response.code, json.loads(response.body)


async def test_a_students_own_server_relays_each_courses_notice_and_choice(jp_fetch, collector):
    status, listed = await forwarder(jp_fetch, "GET", "consent/courses", capturing="true")
    assert status == 200, listed
    assert listed["home"] == "default"
    assert [n["course"] for n in listed["courses"]] == ["cs101", "cs202", "default"]

    status, agreed = await forwarder(jp_fetch, "PUT", "consent", {"capture": True}, course="cs101")
    assert (status, agreed["course"], agreed["captureOn"]) == (200, "cs101", True)
    status, listed = await forwarder(jp_fetch, "GET", "consent/courses")
    assert {n["course"]: n["choice"] for n in listed["courses"]}["cs101"] is True
    status, refused = await forwarder(jp_fetch, "PUT", "consent", {"capture": True}, course="cs999")
    assert status == 403 and "cs999" in refused["message"]


async def test_a_forwarders_answer_says_how_many_events_the_collector_did_not_keep(
    jp_fetch, collector
):
    cs101 = publish_on_collector(collector, "cs101")
    run = {**make_event(cellId="c3"), "assignmentId": cs101}
    status, answer = await forwarder(jp_fetch, "POST", "events", [run, make_event()])
    # cs101 asks for consent first: the collector kept only the unattributed run
    assert status == 202, answer
    assert (answer["processed_count"], answer["ignored_count"]) == (1, 1)

    await forwarder(jp_fetch, "PUT", "consent", {"capture": True}, course="cs101")
    run = {**make_event(cellId="c3"), "assignmentId": cs101}
    status, answer = await forwarder(jp_fetch, "POST", "events", [run])
    assert (status, answer["processed_count"]) == (202, 1) and "ignored_count" not in answer
