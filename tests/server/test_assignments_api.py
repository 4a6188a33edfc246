"""Assignments: published by their course's instructor, one exercise whatever the copy, with
the published cells as columns and the students' own cells kept apart."""

from __future__ import annotations

import json

import pytest

from tests.courses_like import (
    call,
    course_server_config,
    lab_cells,
    notebook_event,
    publish,
    run,
    send,
)


@pytest.fixture
def jp_server_config(database_url):
    return course_server_config(database_url)


async def progress(jp_fetch, user: str, **params):
    response = await call(jp_fetch, user, "progress", **params)
    assert response.code == 200, response.body
    return json.loads(response.body)


async def test_publishing_registers_the_structure_and_answers_201_then_200(jp_fetch):
    created = await publish(jp_fetch)
    assert created.code == 201, created.body
    body = json.loads(created.body)
    assert body["course"] == "cs101" and body["version"] == 1 and len(body["assignmentId"]) == 32
    again = await publish(jp_fetch, assignment=body["assignmentId"])
    assert again.code == 200
    assert json.loads(again.body)["version"] == 2
    listed = json.loads((await call(jp_fetch, "prof101", "assignments")).body)["assignments"]
    assert [(a["assignmentId"], a["cells"], a["students"]) for a in listed] == [
        (body["assignmentId"], 3, 0)
    ]
    one = json.loads((await call(jp_fetch, "prof101", "assignments", body["assignmentId"])).body)
    assert [c["cellId"] for c in one["cells"]] == ["c1", "c2", "c3"]
    assert one["cells"][2]["gradeId"] == "ex1"


async def test_only_an_instructor_of_the_course_may_publish_there(jp_fetch):
    assert (await publish(jp_fetch, user="prof102")).code == 403
    assert (await publish(jp_fetch, user="ta101a")).code == 403
    assert (await publish(jp_fetch, user="s101a")).code == 403
    assert (await publish(jp_fetch, user="boss")).code == 201  # an administrator may
    mine = json.loads((await publish(jp_fetch)).body)["assignmentId"]
    moved = await publish(jp_fetch, user="prof102", course="cs102", assignment=mine)
    assert moved.code == 409
    assert json.loads(moved.body)["errors"][0]["field"] == "course"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"course": "CS 101"}, "course"),
        ({"title": ""}, "title"),
        ({"cells": [{"cellId": "c1", "cellType": "python", "label": "", "source": ""}]}, "cells"),
        ({"assignmentId": "../../etc"}, "assignmentId"),
    ],
)
async def test_a_bad_publication_is_a_422_naming_the_field(jp_fetch, change, field):
    body = {"course": "cs101", "title": "Lab", "path": "l.ipynb", "cells": lab_cells(), **change}
    response = await call(jp_fetch, "prof101", "assignments", method="POST", body=body)
    assert response.code == 422, response.body
    errors = json.loads(response.body)["errors"]
    assert any(e["field"].startswith(field) for e in errors), errors
    not_json = await call(jp_fetch, "prof101", "assignments", method="POST", body="{nope")
    assert not_json.code == 422


async def test_a_cell_id_given_twice_is_the_first_cell_of_that_id(jp_fetch):
    twice = [*lab_cells(), {**lab_cells()[0], "label": "again"}]
    response = await publish(jp_fetch, cells=twice)
    assert [c["label"] for c in json.loads(response.body)["cells"]] == [
        "import pandas",
        "Exercise 1",
        "total = ...",
    ]


async def test_copies_and_renames_land_in_one_grid_whose_columns_are_the_published_cells(
    jp_fetch,
):
    assignment = json.loads((await publish(jp_fetch)).body)["assignmentId"]
    await send(jp_fetch, "s101a", run("c1", assignment=assignment, path="lab1.ipynb"))
    await send(
        jp_fetch,
        "s101b",
        run("c1", assignment=assignment, path="old/lab1-Copy1.ipynb", hasError=True),
        # a copy whose cell ids were regenerated: matched by nbgrader's grade id
        {**run("zz-new-id", assignment=assignment, path="moved.ipynb"), "gradeId": "ex1"},
    )
    snapshot = await progress(jp_fetch, "prof101", assignment=assignment)
    assert snapshot["assignment"] == {
        "id": assignment,
        "course": "cs101",
        "title": "Lab 1",
        "version": 1,
    }
    assert [(c["cellId"], c["label"], c["position"]) for c in snapshot["columns"]] == [
        ("c1", "import pandas", 0),
        ("c2", "Exercise 1", 1),
        ("c3", "total = ...", 2),
    ]
    assert snapshot["columns"][0]["source"] == "import pandas as pd"
    students = {s["userId"]: s["cells"] for s in snapshot["students"]}
    assert set(students) == {"s101a", "s101b"}
    assert students["s101b"]["c1"]["status"] == "failed"
    assert students["s101b"]["c3"]["status"] == "succeeded"
    listed = [n for n in snapshot["notebooks"] if n["assignmentId"] == assignment]
    assert [(n["key"], n["students"]) for n in listed] == [(f"assignment:{assignment}", 2)]


async def test_a_students_own_cells_never_become_columns(jp_fetch):
    assignment = json.loads((await publish(jp_fetch)).body)["assignmentId"]
    scratch = [run(f"scratch-{i}", assignment=assignment, hasError=i == 0) for i in range(30)]
    await send(jp_fetch, "s101a", run("c1", assignment=assignment), *scratch)
    snapshot = await progress(jp_fetch, "prof101", assignment=assignment)
    assert [c["cellId"] for c in snapshot["columns"]] == ["c1", "c2", "c3"]
    assert [c["cellId"] for c in snapshot["cells"]] == ["c1", "c2", "c3"]
    [student] = snapshot["students"]
    assert set(student["cells"]) == {"c1"}
    assert snapshot["ownCells"] == {"s101a": {"runs": 30, "errors": 1}}


async def test_republishing_reorders_adds_and_drops_cells_and_keeps_history(jp_fetch):
    assignment = json.loads((await publish(jp_fetch)).body)["assignmentId"]
    await send(
        jp_fetch, "s101a", run("c1", assignment=assignment), run("c2", assignment=assignment)
    )
    c1, _, c3 = lab_cells()
    c4 = {"cellId": "c4", "gradeId": None, "cellType": "code", "label": "plot", "source": "p()"}
    again = await publish(jp_fetch, assignment=assignment, cells=[c3, c1, c4])
    assert again.code == 200
    snapshot = await progress(jp_fetch, "prof101", assignment=assignment)
    assert snapshot["assignment"]["version"] == 2
    assert [c["cellId"] for c in snapshot["columns"]] == ["c3", "c1", "c4"]
    [student] = snapshot["students"]
    assert set(student["cells"]) == {"c1"} and student["cells"]["c1"]["attempts"] == 1
    assert snapshot["ownCells"] == {}  # a dropped published cell is not the student's own
    history = json.loads(
        (await call(jp_fetch, "prof101", "executions", assignment=assignment)).body
    )
    assert sorted(e["cellId"] for e in history["executions"]) == ["c1", "c2"]
    assert {e["assignmentId"] for e in history["executions"]} == {assignment}


async def test_presence_and_raised_hands_come_from_notebook_events(jp_fetch):
    assignment = json.loads((await publish(jp_fetch)).body)["assignmentId"]
    await send(
        jp_fetch,
        "s101a",
        notebook_event("notebook_opened", assignment=assignment),
        notebook_event("notebook_heartbeat", assignment=assignment),
        notebook_event("notebook_saved", assignment=assignment),
        notebook_event("help", assignment=assignment, message="stuck on ex1", cellId="c3"),
    )
    await send(
        jp_fetch,
        "s101b",
        notebook_event("notebook_opened", assignment=assignment),
        notebook_event("help", assignment=assignment),
    )
    await send(jp_fetch, "s101b", notebook_event("notebook_closed", assignment=assignment))
    await send(jp_fetch, "s101b", notebook_event("help_stop", assignment=assignment))
    snapshot = await progress(jp_fetch, "prof101", assignment=assignment)
    presence = snapshot["presence"]
    assert presence["s101a"]["open"] is True
    assert presence["s101a"]["firstOpened"] and presence["s101a"]["lastSaved"]
    assert presence["s101b"]["open"] is False and presence["s101b"]["lastSaved"] is None
    assert snapshot["help"] == {
        "s101a": {
            "since": snapshot["help"]["s101a"]["since"],
            "message": "stuck on ex1",
            "cellId": "c3",
        }
    }


async def test_the_settings_say_how_often_to_send_a_heartbeat(jp_fetch):
    settings = json.loads((await call(jp_fetch, "s101a", "settings")).body)
    assert settings["heartbeatSeconds"] == 60


async def test_a_help_message_is_bounded(jp_fetch):
    event = notebook_event("help", assignment="x", message="h" * 501)
    response = await call(jp_fetch, "s101a", "events", method="POST", body=[event])
    assert response.code == 422
    assert json.loads(response.body)["errors"][0]["field"] == "message"


async def test_a_student_claiming_another_courses_assignment_places_only_their_own_events(
    jp_fetch,
):
    assignment = json.loads((await publish(jp_fetch)).body)["assignmentId"]
    # s102 edits the metadata of their notebook to name cs101's assignment, and its course
    claimed = {**run("c1", assignment=assignment, path="mine.ipynb"), "course": "cs101"}
    await send(jp_fetch, "s102", claimed, {**claimed, "eventId": "e2", "userId": "s101a"})
    await send(jp_fetch, "sboth", run("c1", assignment=assignment))  # a member: counted
    grid = await progress(jp_fetch, "prof101", assignment=assignment)
    assert [s["userId"] for s in grid["students"]] == ["sboth"]
    assert grid["columns"][0]["cellId"] == "c1"
    # s102's events are theirs, by path, in their own course
    theirs = await progress(jp_fetch, "prof102", notebook="mine.ipynb")
    assert [s["userId"] for s in theirs["students"]] == ["s102"]
    assert theirs["assignment"] is None
    assert not any(n["assignmentId"] for n in theirs["notebooks"])
    unseen = await progress(jp_fetch, "prof101", notebook="mine.ipynb")
    assert unseen["students"] == []
