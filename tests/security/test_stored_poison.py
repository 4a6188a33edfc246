"""What gets 202 can be stored and read back; what cannot gets a 422 naming the field."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import make_event

from .conftest import call, post_events

pytestmark = pytest.mark.usefixtures("jp_serverapp")

NOTEBOOK = "course/lab1.ipynb"


async def read_back(jp_fetch, notebook: str = NOTEBOOK) -> list[dict]:
    """The stored executions of `notebook`, through the instructor API."""
    status, body, _ = await call(jp_fetch, "api", "v1", "executions", params={"notebook": notebook})
    assert status == 200, body
    return body["executions"]


def deep(levels: int) -> dict:
    value: dict = {}
    for _ in range(levels):
        value = {"a": value}
    return value


@pytest.mark.parametrize("field", ["notebookPath", "cellId", "code", "cellType", "errorMessage"])
async def test_nul_characters_are_replaced_wherever_they_are(jp_fetch, field):
    """Observation 2: a NUL in notebookPath or cellId got 202 and PostgreSQL rejected it."""
    status, reply, _ = await post_events(jp_fetch, [make_event(**{field: "a\x00b"})])
    assert status == 202, reply
    notebook = "a\ufffdb" if field == "notebookPath" else NOTEBOOK
    [stored] = await read_back(jp_fetch, notebook)
    assert stored[field] == "a\ufffdb"


async def test_lone_surrogates_are_replaced_in_texts_and_metadata(jp_fetch):
    """Observation 9: lone surrogates answered 500 (they cannot be encoded as UTF-8)."""
    raw = (
        '[{"eventId": "s1", "eventType": "cell_executed", "eventTime": "2026-12-01T00:00:00Z",'
        ' "notebookPath": "n\\ud800.ipynb", "cellId": "c\\udfff", "code": "x\\ud83d",'
        ' "metadata": {"k\\udc00": ["v\\ud800"]}}]'
    )
    status, reply, _ = await post_events(jp_fetch, raw)
    assert status == 202, reply
    [stored] = await read_back(jp_fetch, "n\ufffd.ipynb")
    assert (stored["cellId"], stored["code"]) == ("c\ufffd", "x\ufffd")
    assert stored["metadata"] == {"k\ufffd": ["v\ufffd"]}


async def test_deeply_nested_metadata_is_refused_and_nothing_is_stored(jp_fetch):
    """Observation 7: metadata nested 256 deep was committed; reading it back then failed."""
    status, reply, _ = await post_events(jp_fetch, [make_event(), make_event(metadata=deep(300))])
    assert status == 422, reply
    assert reply["errors"][0]["index"] == 1
    assert reply["errors"][0]["field"].startswith("metadata")
    assert await read_back(jp_fetch) == []
    status, _, _ = await post_events(jp_fetch, [make_event(metadata=deep(8))])
    assert status == 202
    status, body, _ = await call(jp_fetch, "api", "v1", "export.csv", params={"notebook": NOTEBOOK})
    assert status == 200 and body.count("\n") == 2


async def test_non_finite_numbers_in_metadata_are_refused(jp_fetch):
    raw = json.dumps([make_event(metadata={"x": float("nan")})])
    status, reply, _ = await post_events(jp_fetch, raw)
    assert status == 422
    assert reply["errors"][0]["field"].startswith("metadata")


async def test_an_event_after_2038_keeps_the_pace_of_its_notebook(jp_fetch):
    """Observation 8: a time past 2038-01-19 overflowed the int4 bucket: pace answered 500."""
    status, _, _ = await post_events(jp_fetch, [make_event(eventTime="2040-01-01T00:00:00Z")])
    assert status == 202
    status, body, _ = await call(jp_fetch, "api", "v1", "pace", params={"notebook": NOTEBOOK})
    assert status == 200, body
    [bucket] = body["series"]
    assert datetime.fromisoformat(bucket["time"]) < datetime.now(UTC) + timedelta(minutes=2)


async def test_far_future_times_are_clamped_to_the_receive_time_and_flagged(jp_fetch):
    status, _, _ = await post_events(jp_fetch, [make_event(eventTime="9999-12-31T23:59:59Z")])
    assert status == 202
    [stored] = await read_back(jp_fetch)
    event_time = datetime.fromisoformat(stored["eventTime"])
    assert event_time == datetime.fromisoformat(stored["receivedAt"])
    assert stored["metadata"]["clientEventTime"].startswith("9999-12-31T23:59:59")


@pytest.mark.parametrize(
    "event_time",
    [
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "1969-12-31T23:59:59Z",
        "0001-01-01T00:00:00",
    ],
)
async def test_times_out_of_range_get_422_naming_event_time(jp_fetch, event_time):
    """Observation 9: times at the bounds of datetime with an offset answered 500."""
    status, reply, _ = await post_events(jp_fetch, [make_event(eventTime=event_time)])
    if status == 202:  # a far-future time is clamped instead
        [stored] = await read_back(jp_fetch)
        assert stored["metadata"]["clientEventTime"].startswith("9999-12-31")
        return
    assert status == 422, reply
    assert reply["errors"][0]["field"] == "eventTime"


async def test_the_seed_example_is_accepted_and_shown_under_no_notebook(jp_fetch):
    """Issue 11: the seed's own curl example got 422 'notebookPath: Field required'."""
    seed = [
        {
            "eventId": "test",
            "eventType": "cell_executed",
            "eventTime": "2024-01-01T00:00:00Z",
            "userId": "test-user",
        }
    ]
    status, reply, _ = await post_events(jp_fetch, seed)
    assert status == 202, reply
    status, body, _ = await call(jp_fetch, "api", "v1", "progress")
    assert status == 200
    assert body["notebook"] == ""
    assert body["notebooks"][0]["path"] == ""
    [student] = body["students"]
    assert student["cells"][""]["status"] == "succeeded"
    [stored] = await read_back(jp_fetch, "")
    assert (stored["notebookPath"], stored["cellId"], stored["eventId"]) == (None, None, "test")
