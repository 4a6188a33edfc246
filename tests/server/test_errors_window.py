"""`GET api/v1/errors?since=&until=`: the errors of a time window, and who has them at its end.

The class, one notebook, cell c1 (minutes after 9:00):
- s101a (cs101, section a) fails with a NameError at 1 and fixes it at 5;
- s102 (cs102) fails with a NameError at 2, then with a TypeError at 2.5;
- s101b (cs101, section b) fails with a NameError at 4.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.courses_like import call, run, send
from tests.dialects import database_url, jp_server_config  # noqa: F401 (fixtures)

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NAME_ERROR = "NameError: name 'x' is not defined"
TYPE_ERROR = "TypeError: unsupported operand"


def at(minute: float) -> str:
    return (START + timedelta(minutes=minute)).isoformat()


def failed(minute: float, message: str) -> dict:
    return run("c1", path="lab.ipynb", eventTime=at(minute), hasError=True, errorMessage=message)


async def load_class(jp_fetch) -> None:
    await send(jp_fetch, "s101a", failed(1, NAME_ERROR))
    await send(jp_fetch, "s101a", run("c1", path="lab.ipynb", eventTime=at(5)))
    await send(jp_fetch, "s102", failed(2, NAME_ERROR), failed(2.5, TYPE_ERROR))
    await send(jp_fetch, "s101b", failed(4, NAME_ERROR))


async def groups(jp_fetch, caller: str = "boss", **window) -> dict[str, dict]:
    """The error groups of c1 by message, as `caller` sees them."""
    response = await call(jp_fetch, caller, "errors", notebook="lab.ipynb", **window)
    assert response.code == 200, response.body
    cells = json.loads(response.body)["cells"]
    assert [cell["cellId"] for cell in cells] in ([], ["c1"])
    return {group["errorMessage"]: group for cell in cells for group in cell["errors"]}


def summary(group: dict) -> tuple:
    return (group["students"], group["occurrences"], group["lastSeen"], group["studentsNow"])


async def test_without_a_window_the_whole_history_is_grouped(jp_fetch):
    await load_class(jp_fetch)
    errors = await groups(jp_fetch)
    # s101a fixed it at 5, s102's latest run raised the TypeError: only s101b has it now.
    assert summary(errors[NAME_ERROR]) == (3, 3, at(4), ["s101b"])
    assert summary(errors[TYPE_ERROR]) == (1, 1, at(2.5), ["s102"])


async def test_a_window_groups_only_its_runs_and_who_has_them_at_its_end(jp_fetch):
    await load_class(jp_fetch)
    errors = await groups(jp_fetch, since=at(0), until=at(3))
    # At 9:03 s101a had not fixed it yet (a run after the window changes nothing).
    assert summary(errors[NAME_ERROR]) == (2, 2, at(2), ["s101a"])
    assert summary(errors[TYPE_ERROR]) == (1, 1, at(2.5), ["s102"])
    assert errors[NAME_ERROR]["exampleUser"] in {"s101a", "s102"}


async def test_a_window_open_at_its_end_counts_from_since(jp_fetch):
    await load_class(jp_fetch)
    errors = await groups(jp_fetch, since=at(3))
    assert list(errors) == [NAME_ERROR]
    assert summary(errors[NAME_ERROR]) == (1, 1, at(4), ["s101b"])
    assert errors[NAME_ERROR]["exampleUser"] == "s101b"


async def test_since_is_inclusive_and_until_exclusive(jp_fetch):
    await load_class(jp_fetch)
    errors = await groups(jp_fetch, since=at(2), until=at(4))
    assert summary(errors[NAME_ERROR]) == (1, 1, at(2), [])  # s102's latest, at 2.5, is a TypeError
    assert summary(errors[TYPE_ERROR]) == (1, 1, at(2.5), ["s102"])


async def test_a_window_without_errors_or_ending_before_it_starts_has_none(jp_fetch):
    await load_class(jp_fetch)
    assert await groups(jp_fetch, since=at(4.5), until=at(60)) == {}
    assert await groups(jp_fetch, since=at(4), until=at(1)) == {}


@pytest.mark.parametrize(
    ("caller", "name_error", "type_error"),
    [
        ("prof101", (2, ["s101a", "s101b"]), None),  # not s102, of cs102
        ("ta101a", (1, ["s101a"]), None),  # their section only
        ("prof102", (1, []), (1, ["s102"])),  # s102 had moved on to the TypeError
        ("boss", (3, ["s101a", "s101b"]), (1, ["s102"])),
    ],
)
async def test_a_window_keeps_the_callers_scope(jp_fetch, caller, name_error, type_error):
    await load_class(jp_fetch)
    errors = await groups(jp_fetch, caller, since=at(0), until=at(4.5))
    seen = {message: (group["students"], group["studentsNow"]) for message, group in errors.items()}
    assert seen.get(NAME_ERROR) == name_error
    assert seen.get(TYPE_ERROR) == type_error


async def test_students_are_refused_a_window_too(jp_fetch):
    await load_class(jp_fetch)
    response = await call(jp_fetch, "s101a", "errors", notebook="lab.ipynb", since=at(0))
    assert response.code == 403


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"since": "yesterday"}, "since"),
        ({"until": "soon"}, "until"),
        ({"since": at(0), "until": "9:03"}, "until"),
    ],
)
async def test_a_time_that_is_no_iso_8601_time_is_a_400_naming_it(jp_fetch, query, named):
    for exercise in ({"notebook": "lab.ipynb"}, {}):  # with or without an exercise
        response = await call(jp_fetch, "prof101", "errors", **exercise, **query)
        assert response.code == 400
        assert named in json.loads(response.body)["message"]
