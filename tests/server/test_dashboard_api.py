"""The instructor APIs: snapshot, timeline, grouped errors, pace and export."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from tornado.httpclient import HTTPClientError

from tests.conftest import make_event
from tests.hub_like import HubLikeIdentityProvider

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def at(minutes: float) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat()


@pytest.fixture
def jp_server_config(database_url):
    return {
        "ServerApp": {
            "jpserver_extensions": {"progress_tracker": True, "jupyter_server_terminals": False},
            "identity_provider_class": HubLikeIdentityProvider,
        },
        "ProgressTracker": {"database_url": database_url, "pseudonym_secret": "k"},
    }


async def send(jp_fetch, token, events):
    response = await jp_fetch(
        "api",
        "v1",
        "events",
        method="POST",
        body=json.dumps(events),
        headers={"Authorization": f"token {token}"},
    )
    assert response.code == 202


async def get(jp_fetch, *path, **params):
    response = await jp_fetch(
        "api", "v1", *path, params=params, headers={"Authorization": "token instructor-token"}
    )
    return response


async def load_classroom(jp_fetch) -> str:
    """student1 fails cell b twice then succeeds; student2 fails b with the same error."""
    nb = "lab.ipynb"
    await send(
        jp_fetch,
        "student-token",
        [
            make_event(notebookPath=nb, cellId="a", cellIndex=0, eventTime=at(0)),
            make_event(
                notebookPath=nb,
                cellId="b",
                cellIndex=1,
                eventTime=at(1),
                hasError=True,
                errorMessage="KeyError: 'price'",
                code="=df['price']",
            ),
            make_event(
                notebookPath=nb,
                cellId="b",
                cellIndex=1,
                eventTime=at(2),
                hasError=True,
                errorMessage="KeyError: 'price'",
            ),
            make_event(notebookPath=nb, cellId="b", cellIndex=1, eventTime=at(3)),
        ],
    )
    await send(
        jp_fetch,
        "other-student-token",
        [
            make_event(notebookPath=nb, cellId="a", cellIndex=0, eventTime=at(0.5)),
            make_event(
                notebookPath=nb,
                cellId="b",
                cellIndex=1,
                eventTime=at(4),
                hasError=True,
                errorMessage="KeyError: 'price'",
            ),
            make_event(notebookPath="other.ipynb", cellId="z", eventTime=at(-60)),
        ],
    )
    return nb


async def test_the_snapshot_has_each_students_status_attempts_and_last_error(jp_fetch):
    classroom = await load_classroom(jp_fetch)
    snapshot = json.loads((await get(jp_fetch, "progress", notebook=classroom)).body)
    assert [nb["path"] for nb in snapshot["notebooks"]] == ["lab.ipynb", "other.ipynb"]
    assert [c["cellId"] for c in snapshot["cells"]] == ["a", "b"]
    students = {s["userId"]: s for s in snapshot["students"]}
    assert students["student1"]["cells"]["b"] == {
        "status": "succeeded",
        "attempts": 3,
        "errors": 2,
        "lastError": "KeyError: 'price'",
        "lastActivity": at(3),
        "executionCount": 1,
    }
    assert students["student2"]["cells"]["b"]["status"] == "failed"
    assert students["student2"]["currentCellId"] == "b"
    assert snapshot["lastEventId"]


async def test_without_a_notebook_the_most_recently_active_one_is_shown(jp_fetch):
    classroom = await load_classroom(jp_fetch)
    snapshot = json.loads((await get(jp_fetch, "progress")).body)
    assert snapshot["notebook"] == classroom


async def test_a_students_timeline_lists_their_runs_in_order(jp_fetch):
    classroom = await load_classroom(jp_fetch)
    runs = json.loads(
        (await get(jp_fetch, "executions", notebook=classroom, user="student1")).body
    )["executions"]
    assert [(r["cellId"], r["hasError"]) for r in runs] == [
        ("a", False),
        ("b", True),
        ("b", True),
        ("b", False),
    ]
    window = json.loads(
        (await get(jp_fetch, "executions", notebook=classroom, since=at(1.5), until=at(3.5))).body
    )["executions"]
    assert [r["eventTime"] for r in window] == [
        at(2).replace("+00:00", "Z"),
        at(3).replace("+00:00", "Z"),
    ]


async def test_errors_are_grouped_per_cell_with_student_counts(jp_fetch):
    classroom = await load_classroom(jp_fetch)
    cells = json.loads((await get(jp_fetch, "errors", notebook=classroom)).body)["cells"]
    [cell] = cells
    [error] = cell["errors"]
    assert (cell["cellId"], error["errorMessage"], error["students"], error["occurrences"]) == (
        "b",
        "KeyError: 'price'",
        2,
        3,
    )
    assert error["exampleUser"] in {"student1", "student2"}


async def test_pace_counts_executions_errors_and_progress_per_minute(jp_fetch):
    classroom = await load_classroom(jp_fetch)
    pace = json.loads((await get(jp_fetch, "pace", notebook=classroom, bucket="60")).body)
    by_minute = {p["time"]: p for p in pace["series"]}
    assert by_minute[at(1)]["errors"] == 1
    assert by_minute[at(0)]["executions"] == 2
    assert by_minute[at(0)]["activeStudents"] == 2
    assert by_minute[at(3)]["cellsCompletedMedian"] == 1.5  # student1 has 2 cells, student2 1
    assert sum(p["executions"] for p in pace["series"]) == 6


async def test_the_export_is_csv_with_stable_pseudonyms_and_inert_formulas(jp_fetch):
    classroom = await load_classroom(jp_fetch)
    named = (await get(jp_fetch, "export.csv", notebook=classroom)).body.decode()
    rows = list(csv.DictReader(io.StringIO(named)))
    assert len(rows) == 6 and {r["userId"] for r in rows} == {"student1", "student2"}
    assert any(r["code"] == "'=df['price']" for r in rows)
    first = (await get(jp_fetch, "export.csv", notebook=classroom, pseudonymise="1")).body
    again = (await get(jp_fetch, "export.csv", notebook=classroom, pseudonymise="1")).body
    assert first == again
    pseudonyms = {r["userId"] for r in csv.DictReader(io.StringIO(first.decode()))}
    assert len(pseudonyms) == 2 and all(p.startswith("student-") for p in pseudonyms)
    assert "student1" not in first.decode()


async def test_a_malformed_time_window_gets_400(jp_fetch):
    await load_classroom(jp_fetch)
    with pytest.raises(HTTPClientError) as refused:
        await get(jp_fetch, "executions", since="yesterday")
    assert refused.value.code == 400
    assert "ISO 8601" in json.loads(refused.value.response.body)["message"]


async def test_a_cell_started_but_without_result_shows_as_running_until_its_result(jp_fetch):
    now = datetime.now(UTC)
    started = make_event(
        eventType="cell_started",
        notebookPath="run.ipynb",
        cellId="slow",
        cellIndex=2,
        eventTime=now.isoformat(),
    )
    await send(jp_fetch, "student-token", [started])
    snapshot = json.loads((await get(jp_fetch, "progress", notebook="run.ipynb")).body)
    [student] = snapshot["students"]
    assert student["cells"]["slow"]["status"] == "running"
    assert student["cells"]["slow"]["attempts"] == 0
    assert student["currentCellId"] == "slow"
    assert [c["cellId"] for c in snapshot["cells"]] == ["slow"]

    done = make_event(
        notebookPath="run.ipynb",
        cellId="slow",
        cellIndex=2,
        eventTime=(now + timedelta(seconds=5)).isoformat(),
    )
    await send(jp_fetch, "student-token", [done])
    snapshot = json.loads((await get(jp_fetch, "progress", notebook="run.ipynb")).body)
    assert snapshot["students"][0]["cells"]["slow"]["status"] == "succeeded"
    assert snapshot["students"][0]["cells"]["slow"]["attempts"] == 1


async def test_a_start_older_than_an_hour_is_not_running_any_more(jp_fetch):
    stale = make_event(
        eventType="cell_started",
        notebookPath="run.ipynb",
        cellId="dead",
        eventTime=(datetime.now(UTC) - timedelta(hours=2)).isoformat(),
    )
    await send(jp_fetch, "student-token", [stale])
    snapshot = json.loads((await get(jp_fetch, "progress", notebook="run.ipynb")).body)
    assert snapshot["students"] == []
