"""The cell drill-down (`GET api/v1/cells/latest`) and who has an error now (`GET api/v1/errors`):
every student's latest attempt at a cell, with their struggle signals, in the caller's scope."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from progress_tracker.store.read.signals import DEFINITIONS
from tests.courses_like import call, course_server_config, send
from tests.courses_like import run as course_run

T = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
PATH = "shared.ipynb"


@pytest.fixture
def jp_server_config(database_url):
    return course_server_config(database_url)


def run(cell: str, seconds: int, **fields):
    """A run of `cell` in the shared notebook, `seconds` after T."""
    return course_run(
        cell, path=PATH, eventTime=(T + timedelta(seconds=seconds)).isoformat(), **fields
    )


def fail(cell: str, seconds: int, message: str, code: str = "x = 1"):
    return run(cell, seconds, hasError=True, errorMessage=message, code=code, result=None)


async def latest(jp_fetch, user: str, **params):
    response = await call(jp_fetch, user, "cells", "latest", **params)
    return response.code, json.loads(response.body or b"{}")


async def seed_class(jp_fetch) -> None:
    """s101a fails twice with one error then succeeds; s101b fails; s102 interrupts; sboth (in
    the implicit course for this unpublished notebook) fails too."""
    await send(
        jp_fetch,
        "s101a",
        fail("c1", 0, "KeyError: 'price'"),
        fail("c1", 60, "KeyError: 'price'"),
        run("c1", 120, code="df['price'].sum()", result="42"),
    )
    await send(jp_fetch, "s101b", run("c0", 0), fail("c1", 30, "NameError: name 'df'"))
    await send(
        jp_fetch,
        "s102",
        run("c1", 10, hasError=True, errorMessage="KeyboardInterrupt: ", interrupted=True),
    )
    await send(jp_fetch, "sboth", fail("c1", 40, "NameError: name 'df'"))


async def test_an_instructor_reads_every_latest_attempt_of_their_course(jp_fetch):
    await seed_class(jp_fetch)
    code, body = await latest(jp_fetch, "prof101", notebook=PATH, cell="c1")
    assert code == 200, body
    by_name = {student["student"]: student for student in body["students"]}
    assert set(by_name) == {"s101a", "s101b"}, "cs101's students; sboth is in the implicit course"
    ada = by_name["s101a"]
    assert (ada["status"], ada["attempts"], ada["errors"]) == ("succeeded", 3, 2)
    assert (ada["code"], ada["result"], ada["errorMessage"]) == ("df['price'].sum()", "42", None)
    assert ada["lastAt"] == (T + timedelta(seconds=120)).isoformat()
    assert ada["signals"] == {
        "errorQuotient": 0.5,  # pairs: (fail, same fail) = 8, (fail, success) = 0 -> 8 / 16
        "repeatedErrorDensity": 0.5,  # one repeat: 1 / 2
        "timeOnCellS": 120.0,  # 60 + 60 between her runs
        "attemptsSinceSuccess": 0,
    }
    bob = by_name["s101b"]
    assert (bob["status"], bob["errorMessage"]) == ("failed", "NameError: name 'df'")
    assert bob["signals"]["timeOnCellS"] == 30.0, "the gap after his run of another cell counts"
    assert bob["signals"]["errorQuotient"] is None, "one run: no pair"
    assert body["cellId"] == "c1" and body["notebook"] == PATH
    assert body["definitions"] == DEFINITIONS


async def test_an_interrupted_run_is_interrupted_not_failed(jp_fetch):
    await seed_class(jp_fetch)
    code, body = await latest(jp_fetch, "prof102", notebook=PATH, cell="c1")
    assert code == 200, body
    [s102] = body["students"]
    assert (s102["student"], s102["status"], s102["errors"], s102["attempts"]) == (
        "s102",
        "interrupted",
        0,
        1,
    )
    assert s102["signals"]["attemptsSinceSuccess"] == 1


async def test_a_ta_sees_only_their_section(jp_fetch):
    await seed_class(jp_fetch)
    code, body = await latest(jp_fetch, "ta101a", notebook=PATH, cell="c1")
    assert code == 200, body
    assert [student["student"] for student in body["students"]] == ["s101a"]


async def test_an_administrator_sees_everybody(jp_fetch):
    await seed_class(jp_fetch)
    code, body = await latest(jp_fetch, "boss", notebook=PATH, cell="c1")
    assert code == 200, body
    assert [s["student"] for s in body["students"]] == ["s101a", "s101b", "s102", "sboth"]


async def test_a_student_is_refused(jp_fetch):
    await seed_class(jp_fetch)
    code, body = await latest(jp_fetch, "s101a", notebook=PATH, cell="c1")
    assert code == 403, body
    assert "message" in body


@pytest.mark.parametrize(
    ("params", "status", "names"),
    [
        ({"cell": "c1"}, 404, "notebook"),
        ({"notebook": PATH}, 400, "cell"),
        ({"notebook": PATH, "cell": "c1", "course": "not a course!"}, 400, "course"),
    ],
)
async def test_bad_requests_say_what_is_wrong(jp_fetch, params, status, names):
    await seed_class(jp_fetch)
    code, body = await latest(jp_fetch, "prof101", **params)
    assert code == status, body
    assert names in body["message"]


@pytest.mark.parametrize(
    "params", [{"notebook": PATH, "cell": "c9"}, {"notebook": "o", "cell": "c1"}]
)
async def test_a_cell_nobody_ran_has_no_student(jp_fetch, params):
    await seed_class(jp_fetch)
    code, body = await latest(jp_fetch, "prof101", **params)
    assert (code, body["students"]) == (200, [])


async def test_an_error_group_names_who_has_that_error_now(jp_fetch):
    await seed_class(jp_fetch)
    response = await call(jp_fetch, "boss", "errors", notebook=PATH)
    assert response.code == 200
    [cell] = json.loads(response.body)["cells"]
    groups = {group["errorMessage"]: group for group in cell["errors"]}
    assert set(groups) == {"KeyError: 'price'", "NameError: name 'df'"}, "no KeyboardInterrupt"
    assert groups["NameError: name 'df'"]["studentsNow"] == ["s101b", "sboth"]
    assert groups["KeyError: 'price'"]["studentsNow"] == [], "s101a has since succeeded"
    assert groups["KeyError: 'price'"]["students"] == 1, "the count of who ever had it stays"
    response = await call(jp_fetch, "ta101a", "errors", notebook=PATH)
    [cell] = json.loads(response.body)["cells"]
    assert [group["studentsNow"] for group in cell["errors"]] == [[]], "s101b: section b"
