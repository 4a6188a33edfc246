"""Hub-like users of two courses (cs101 with sections a and b, cs102), by token, for server tests.

The groups follow the default conventions of `c.Courses`.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from tests.conftest import make_event
from tests.hub_like import HubLikeIdentityProvider, HubLikeUser

COURSE_USERS = {
    "prof101": ["cs101-instructors"],
    "prof102": ["cs102-instructors"],
    "ta101a": ["cs101-tas-a"],
    "s101a": ["cs101-students", "cs101-students-a"],
    "s101b": ["cs101-students", "cs101-students-b"],
    "s102": ["cs102-students"],
    "sboth": ["cs101-students", "cs101-students-a", "cs102-students"],
    "boss": ["progress-admins"],
    "legacy": ["instructors"],
}
STUDENTS = ("s101a", "s101b", "s102", "sboth")


class CourseIdentityProvider(HubLikeIdentityProvider):
    """Authenticates `token <name>-token` as the user `name` of COURSE_USERS, with its groups."""

    async def get_user(self, handler: Any) -> HubLikeUser | None:
        header = handler.request.headers.get("Authorization", "")
        token = header.removeprefix("token ").strip() or handler.get_argument("token", "")
        name = token.removesuffix("-token")
        if not token.endswith("-token") or name not in COURSE_USERS:
            return None
        handler._token_authenticated = True
        hub_user = {"name": name, "groups": COURSE_USERS[name]}
        return HubLikeUser(username=name, hub_user=hub_user)


def course_server_config(database_url: str) -> dict[str, Any]:
    """A server whose users are COURSE_USERS."""
    return {
        "ServerApp": {
            "jpserver_extensions": {"progress_tracker": True, "jupyter_server_terminals": False},
            "identity_provider_class": CourseIdentityProvider,
        },
        "ProgressTracker": {"database_url": database_url, "pseudonym_secret": "k"},
    }


def auth(user: str) -> dict[str, str]:
    """The header that authenticates `user`."""
    return {"Authorization": f"token {user}-token"}


async def call(jp_fetch, user: str, *path: str, method: str = "GET", body: Any = None, **params):
    """A request as `user`; HTTP errors are returned, not raised."""
    from tornado.httpclient import HTTPClientError

    kwargs: dict[str, Any] = {"headers": auth(user), "params": params, "method": method}
    if body is not None:
        kwargs["body"] = body if isinstance(body, str | bytes) else json.dumps(body)
    try:
        return await jp_fetch("api", "v1", *path, **kwargs)
    except HTTPClientError as err:
        return err.response


async def send(jp_fetch, user: str, *events: dict[str, Any]) -> None:
    """POST events as `user`; they must be accepted."""
    response = await call(jp_fetch, user, "events", method="POST", body=list(events))
    assert response.code == 202, response.body


def lab_cells() -> list[dict[str, Any]]:
    """The published structure of lab 1: two code cells around a heading, one graded."""
    return [
        {
            "cellId": "c1",
            "gradeId": None,
            "cellType": "code",
            "label": "import pandas",
            "source": "import pandas as pd",
        },
        {
            "cellId": "c2",
            "gradeId": None,
            "cellType": "markdown",
            "label": "Exercise 1",
            "source": "# Exercise 1",
        },
        {
            "cellId": "c3",
            "gradeId": "ex1",
            "cellType": "code",
            "label": "total = ...",
            "source": "total = ...\n",
        },
    ]


async def publish(jp_fetch, user="prof101", course="cs101", assignment=None, cells=None):
    """Publish lab 1 as `user`; the response."""
    body = {
        "course": course,
        "title": "Lab 1",
        "path": "labs/lab1.ipynb",
        "assignmentId": assignment,
        "cells": lab_cells() if cells is None else cells,
    }
    return await call(jp_fetch, user, "assignments", method="POST", body=body)


def run(cell: str, *, assignment: str | None = None, path="lab1.ipynb", **fields: Any):
    """A cell_executed event of `cell`, in `assignment` when given."""
    event = make_event(notebookPath=path, cellId=cell, **fields)
    if assignment is not None:
        event["assignmentId"] = assignment
    return event


def notebook_event(kind: str, *, assignment: str, **fields: Any) -> dict[str, Any]:
    """A notebook event (opened, heartbeat, help, ...) of an assignment."""
    return {
        "eventId": f"evt-{uuid.uuid4().hex}",
        "eventType": kind,
        "eventTime": make_event()["eventTime"],
        "notebookPath": "lab1.ipynb",
        "assignmentId": assignment,
        **fields,
    }
