"""`GET api/v1/replay`: the runs of a time window in time order, scoped, in bounded pages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.courses_like import call, run, send
from tests.dialects import database_url, jp_server_config  # noqa: F401 (fixtures)

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(minute: float) -> str:
    return (START + timedelta(minutes=minute)).isoformat()


async def replay(jp_fetch, caller: str, **query) -> dict:
    response = await call(jp_fetch, caller, "replay", **query)
    assert response.code == 200, response.body
    return json.loads(response.body)


async def class_of_three(jp_fetch) -> None:
    """s101a (cs101, section a) and s101b (cs101, b) in cs101, s102 in cs102, one notebook."""
    await send(jp_fetch, "s101a", run("c1", path="lab.ipynb", eventTime=at(1)))
    await send(
        jp_fetch,
        "s101b",
        run("c1", path="lab.ipynb", eventTime=at(3), hasError=True, errorMessage="NameError: x"),
    )
    await send(jp_fetch, "s102", run("c1", path="lab.ipynb", eventTime=at(2)))
    await send(
        jp_fetch,
        "s101a",
        run(
            "c2",
            path="lab.ipynb",
            eventTime=at(4),
            hasError=True,
            errorMessage="KeyboardInterrupt: ",
        ),
    )


async def test_the_runs_of_a_window_come_in_time_order_with_their_outcome(jp_fetch):
    await class_of_three(jp_fetch)
    body = await replay(jp_fetch, "boss", notebook="lab.ipynb")
    assert [(r["student"], r["cellId"], r["status"]) for r in body["runs"]] == [
        ("s101a", "c1", "succeeded"),
        ("s102", "c1", "succeeded"),
        ("s101b", "c1", "failed"),
        ("s101a", "c2", "interrupted"),
    ]
    assert body["runs"][2]["errorMessage"] == "NameError: x"
    assert body["runs"][0]["errorMessage"] is None
    assert body["next"] is None
    assert "code" not in body["runs"][0]  # the grid is replayed, not the work


async def test_since_is_inclusive_and_until_exclusive(jp_fetch):
    await class_of_three(jp_fetch)
    body = await replay(jp_fetch, "boss", notebook="lab.ipynb", since=at(2), until=at(4))
    assert [r["student"] for r in body["runs"]] == ["s102", "s101b"]


@pytest.mark.parametrize(
    ("caller", "students"),
    [
        ("prof101", {"s101a", "s101b"}),
        ("ta101a", {"s101a"}),  # their section only
        ("prof102", {"s102"}),  # the other course
        ("boss", {"s101a", "s101b", "s102"}),
    ],
)
async def test_each_caller_replays_only_their_scope(jp_fetch, caller, students):
    await class_of_three(jp_fetch)
    body = await replay(jp_fetch, caller, notebook="lab.ipynb")
    assert {r["student"] for r in body["runs"]} == students


async def test_students_are_refused(jp_fetch):
    await class_of_three(jp_fetch)
    assert (await call(jp_fetch, "s101a", "replay", notebook="lab.ipynb")).code == 403


async def test_pages_are_bounded_and_follow_on_from_their_cursor(jp_fetch):
    # Five runs, two at the same time: the cursor tells them apart by storage order.
    times = [at(1), at(2), at(2), at(3), at(5)]
    for i, time in enumerate(times):
        await send(jp_fetch, "s101a", run(f"c{i}", path="lab.ipynb", eventTime=time))
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query = {"notebook": "lab.ipynb", "limit": "2"}
        if cursor:
            query["after"] = cursor
        body = await replay(jp_fetch, "prof101", **query)
        assert len(body["runs"]) <= 2
        seen += [r["cellId"] for r in body["runs"]]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == ["c0", "c1", "c2", "c3", "c4"]
    assert pages == 3


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"since": "yesterday"}, "since"),
        ({"until": "soon"}, "until"),
        ({"after": "not-a-cursor"}, "after"),
        ({"limit": "0"}, "limit"),
        ({"limit": "20001"}, "limit"),
        ({"after": "١٢.٣"}, "after"),  # digits, but not ASCII ones
        ({"after": "999999999999999999.1"}, "after"),  # past year 9999
    ],
)
async def test_bad_arguments_are_400_naming_them(jp_fetch, query, named):
    response = await call(jp_fetch, "prof101", "replay", notebook="lab.ipynb", **query)
    assert response.code == 400
    assert named in json.loads(response.body)["message"]


async def test_without_an_exercise_or_an_empty_window_there_is_nothing_to_replay(jp_fetch):
    await class_of_three(jp_fetch)
    nothing = {"runs": [], "next": None}
    assert await replay(jp_fetch, "prof101") == nothing
    backwards = {"since": at(4), "until": at(1)}
    assert await replay(jp_fetch, "prof101", notebook="lab.ipynb", **backwards) == nothing
