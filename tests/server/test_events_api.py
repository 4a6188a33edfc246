"""POST api/v1/events: what a client may send, and what it gets back."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from tornado.httpclient import HTTPClientError

from progress_tracker.store.models import CellExecution, NotebookEvent, Student
from tests.conftest import make_event

pytestmark = pytest.mark.usefixtures("jp_serverapp")


async def post_events(jp_fetch, body, **kwargs):
    """POST a body (JSON-encoded unless bytes) and return (status, decoded reply)."""
    raw = body if isinstance(body, bytes) else json.dumps(body)
    try:
        response = await jp_fetch("api", "v1", "events", method="POST", body=raw, **kwargs)
    except HTTPClientError as err:
        return err.code, json.loads(err.response.body)
    return response.code, json.loads(response.body)


def tracker_of(jp_serverapp):
    return next(iter(jp_serverapp.extension_manager.extension_apps["progress_tracker"])).runtime


async def count(jp_serverapp, model) -> int:
    runtime = await tracker_of(jp_serverapp).ready()
    async with runtime.engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(model))


async def test_a_valid_batch_is_accepted_with_202_and_stored(jp_fetch, jp_serverapp):
    batch = [make_event(), make_event(cellId="cell-b", cellIndex=1)]
    status, reply = await post_events(jp_fetch, batch)
    assert status == 202
    assert reply == {"message": "2 events received and queued", "processed_count": 2}
    assert await count(jp_serverapp, CellExecution) == 2


async def test_notebook_events_are_stored_beside_executions(jp_fetch, jp_serverapp):
    status, _ = await post_events(
        jp_fetch, [make_event(eventType="notebook_opened", cellId=None, cellIndex=None)]
    )
    assert status == 202
    assert await count(jp_serverapp, NotebookEvent) == 1


async def test_a_cell_start_is_stored_with_its_cell(jp_fetch, jp_serverapp):
    status, _ = await post_events(jp_fetch, [make_event(eventType="cell_started", cellId="c7")])
    assert status == 202
    runtime = await tracker_of(jp_serverapp).ready()
    async with runtime.engine.connect() as conn:
        rows = (await conn.execute(select(NotebookEvent.event_type, NotebookEvent.cell_id))).all()
    assert [tuple(row) for row in rows] == [("cell_started", "c7")]


async def test_the_seed_example_event_is_accepted(jp_fetch):
    seed = {
        "eventId": "test",
        "eventType": "cell_executed",
        "eventTime": "2026-11-27T10:00:00",
        "userId": "student1",
        "notebookPath": "test.ipynb",
        "cellId": "c1",
        "cellIndex": 0,
        "cellType": "code",
        "code": "1+1",
        "executionCount": 1,
        "hasError": False,
        "errorMessage": None,
        "result": "2",
        "executionDurationMs": 5,
        "metadata": {},
    }
    status, _ = await post_events(jp_fetch, [seed])
    assert status == 202


async def test_a_retried_event_id_is_stored_once(jp_fetch, jp_serverapp):
    event = make_event()
    for _ in range(3):
        status, _ = await post_events(jp_fetch, [event, event])
        assert status == 202
    assert await count(jp_serverapp, CellExecution) == 1


async def test_the_stored_user_is_the_authenticated_one_not_the_body(jp_fetch, jp_serverapp):
    status, _ = await post_events(jp_fetch, [make_event(userId="mallory")])
    assert status == 202
    runtime = await tracker_of(jp_serverapp).ready()
    async with runtime.engine.connect() as conn:
        names = (await conn.execute(select(Student.user_id))).scalars().all()
    assert names == ["teacher"]


async def test_older_clients_extra_fields_and_naive_times_are_accepted(jp_fetch, jp_serverapp):
    event = make_event(
        eventTime="2026-11-27T09:30:00",
        emailAddress="s@example.org",
        userName="Student",
        teamName="A",
        sessionId="xyz",
    )
    status, _ = await post_events(jp_fetch, [event])
    assert status == 202
    runtime = await tracker_of(jp_serverapp).ready()
    [stored] = await runtime.queries.executions("course/lab1.ipynb")
    assert stored.event_time.isoformat() == "2026-11-27T09:30:00+00:00"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"{not json", "not valid JSON"),
        ([], "empty"),
        ({"eventId": "x"}, "array"),
        (b"", "not valid JSON"),
    ],
)
async def test_a_malformed_body_gets_400_with_a_reason(jp_fetch, body, fragment):
    status, reply = await post_events(jp_fetch, body)
    assert status == 400
    assert fragment in reply["message"]


async def test_too_many_events_get_413(jp_fetch):
    status, reply = await post_events(jp_fetch, [make_event() for _ in range(101)])
    assert status == 413
    assert "at most 100" in reply["message"]


@pytest.mark.parametrize("tracker_config", [{"max_body_bytes": 2000}])
async def test_a_body_over_the_size_limit_gets_413(jp_fetch, jp_serverapp):
    status, reply = await post_events(jp_fetch, [make_event(code="x" * 5000)])
    assert status == 413
    assert "bytes" in reply["message"]
    assert await count(jp_serverapp, CellExecution) == 0


async def test_invalid_events_get_422_naming_each_index_and_field(jp_fetch, jp_serverapp):
    batch = [
        make_event(),
        make_event(eventTime="yesterday"),
        make_event(eventType="cell_deleted", cellIndex=-1),
        "not an object",
    ]
    status, reply = await post_events(jp_fetch, batch)
    assert status == 422
    problems = {(e["index"], e["field"]) for e in reply["errors"]}
    assert {(1, "eventTime"), (2, "eventType"), (2, "cellIndex"), (3, None)} <= problems
    assert (0, "eventTime") not in problems
    assert await count(jp_serverapp, CellExecution) == 0, "a rejected batch stores nothing"


async def test_events_without_a_cell_are_stored_under_no_cell(jp_fetch, jp_serverapp):
    batch = [make_event(cellId=None), make_event(eventType="cell_started", cellId=None)]
    status, _ = await post_events(jp_fetch, batch)
    assert status == 202
    runtime = await tracker_of(jp_serverapp).ready()
    [stored] = await runtime.queries.executions("course/lab1.ipynb")
    assert stored.cell_id is None
    assert await count(jp_serverapp, NotebookEvent) == 1


async def test_long_texts_are_truncated_and_oversized_metadata_rejected(jp_fetch, jp_serverapp):
    status, _ = await post_events(
        jp_fetch, [make_event(code="x" * 50_000, errorMessage="E" * 10_000, result="r" * 9_000)]
    )
    assert status == 202
    runtime = await tracker_of(jp_serverapp).ready()
    [stored] = await runtime.queries.executions("course/lab1.ipynb")
    assert len(stored.code) == 20_000 and stored.code.endswith("[truncated]")
    assert len(stored.error_message) == 2_000
    assert len(stored.result) == 2_000
    status, reply = await post_events(jp_fetch, [make_event(metadata={"blob": "m" * 10_000})])
    assert status == 422
    assert reply["errors"][0]["field"] == "metadata"


async def test_identifiers_over_their_bounds_are_rejected(jp_fetch):
    status, reply = await post_events(
        jp_fetch, [make_event(eventId="e" * 200, notebookPath="p" * 2000)]
    )
    assert status == 422
    assert {e["field"] for e in reply["errors"]} == {"eventId", "notebookPath"}
