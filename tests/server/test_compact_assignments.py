"""The compact snapshot of an assignment carries what the full one does (the assignment, its
published columns, own cells, presence, raised hands) for the caller's scope, and a socket
subscribed to an assignment receives only that assignment's events of the caller's scope."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.courses_like import auth, call, course_server_config, notebook_event, publish, run, send
from tests.server.test_compact_snapshot import expand

HEAD_KEYS = ("assignment", "columns", "cells", "ownCells", "presence", "help", "notebook")


@pytest.fixture
def jp_server_config(database_url):
    return course_server_config(database_url)


async def both_forms(jp_fetch, user: str, **params) -> tuple[dict, dict]:
    full = await call(jp_fetch, user, "progress", **params)
    compact = await call(jp_fetch, user, "progress", form="compact", pageSize="1", **params)
    assert full.code == compact.code == 200, (full.body, compact.body)
    return json.loads(full.body), json.loads(compact.body)


async def test_the_compact_form_of_an_assignment_carries_the_courses_fields(jp_fetch):
    assignment = json.loads((await publish(jp_fetch)).body)["assignmentId"]
    await send(
        jp_fetch,
        "s101a",
        notebook_event("notebook_opened", assignment=assignment),
        notebook_event("help", assignment=assignment, message="stuck", cellId="c3"),
        run("c3", assignment=assignment, hasError=True, errorMessage="NameError"),
        run("scratch", assignment=assignment),
    )
    await send(jp_fetch, "s101b", run("c1", assignment=assignment))
    for user, students in (("prof101", ["s101a", "s101b"]), ("ta101a", ["s101a"])):
        full, compact = await both_forms(jp_fetch, user, assignment=assignment)
        for key in HEAD_KEYS:
            assert compact[key] == full[key], key
        assert compact["assignment"]["id"] == assignment
        assert [c["cellId"] for c in compact["columns"]] == ["c1", "c2", "c3"]
        assert compact["ownCells"] == {"s101a": {"runs": 1, "errors": 0}}
        assert set(compact["presence"]) == {"s101a"} and set(compact["help"]) == {"s101a"}
        assert expand(compact)["students"] == full["students"]
        assert [s["userId"] for s in full["students"]] == students
    _, other = await both_forms(jp_fetch, "prof102", assignment=assignment)
    assert (other["assignment"], other["pages"], other["ownCells"]) == (None, [], {})


async def next_events(ws, timeout: float = 60) -> dict:
    while (message := json.loads(await asyncio.wait_for(ws.read_message(), timeout)))[
        "type"
    ] != "events":
        pass
    return message


async def test_a_socket_subscribed_to_an_assignment_gets_its_events_of_the_scope(
    jp_fetch, jp_ws_fetch
):
    assignment = json.loads((await publish(jp_fetch)).body)["assignmentId"]
    ws = await jp_ws_fetch(
        "api", "v1", "ws", params={"assignment": assignment}, headers=auth("ta101a")
    )
    caught_up = json.loads(await asyncio.wait_for(ws.read_message(), 60))
    assert caught_up["type"] == "caught_up"
    await send(jp_fetch, "s101b", run("c1", assignment=assignment))  # section b: not the TA's
    await send(jp_fetch, "s101a", run("c1", path="other.ipynb"))  # another exercise
    await send(jp_fetch, "s101a", run("c1", assignment=assignment))
    message = await next_events(ws)
    assert [(e["userId"], e["assignmentId"]) for e in message["events"]] == [("s101a", assignment)]
    assert message["prev"] == caught_up["seq"] and message["seq"] == caught_up["seq"] + 3
    ws.close()
