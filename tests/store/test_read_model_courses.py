"""The read model by course: a caller reads the rows of the courses (and sections) in scope, and a
student's runs of one cell attributed to two courses are merged for a caller who reads both."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

import pytest
import pytest_asyncio

from progress_tracker.courses.scope import Scope
from progress_tracker.events import Event
from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import upgrade_to_head
from progress_tracker.store.read import ProgressQueries
from progress_tracker.store.read.compact import compact_lines
from progress_tracker.store.state.check import differences
from progress_tracker.store.writer import EventWriter
from tests.server.test_compact_snapshot import expand

pytestmark = pytest.mark.asyncio
T = datetime(2026, 11, 30, 9, tzinfo=UTC)


def run(user: str, course: str, seconds: int, *, failed: bool, section: str | None = None):
    at = T + timedelta(seconds=seconds)
    return Event.model_validate(
        {
            "eventId": f"{user}-{course}-{seconds}",
            "eventType": "cell_executed",
            "eventTime": at.isoformat(),
            "notebookPath": "lab.ipynb",
            "cellId": "c1",
            "cellIndex": 0,
            "hasError": failed,
            "errorMessage": f"Err {seconds}" if failed else None,
            "executionCount": seconds,
            "userId": user,
            "receivedAt": at,
            "course": course,
            "section": section,
        }
    )


def only(courses: dict) -> Scope:
    return Scope(courses=MappingProxyType(courses))


@pytest_asyncio.fixture
async def queries(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/courses.sqlite")
    await upgrade_to_head(engine)
    writer = EventWriter(engine)
    # ann's runs of c1: a failure in cs101 (section a), later a success in cs102.
    await writer.write([run("ann", "cs101", 1, failed=True, section="a")])
    await writer.write([run("ann", "cs102", 5, failed=False)])
    await writer.write([run("bob", "cs101", 3, failed=True, section="b")])
    yield ProgressQueries(engine)
    assert await differences(engine) == [], "what was kept on write is what a recount gives"
    await engine.dispose()


def cell(snapshot: dict, user: str) -> dict:
    [student] = [s for s in snapshot["students"] if s["userId"] == user]
    return student["cells"]["c1"]


async def compact(queries: ProgressQueries, scope: Scope) -> dict:
    snapshot = await queries.compact_snapshot("lab.ipynb", scope)
    return json.loads("".join(compact_lines(snapshot, {}, page_size=1)))


async def test_a_caller_of_both_courses_sees_one_cell_merged(queries):
    for scope in (Scope(everything=True), only({"cs101": None, "cs102": None})):
        snapshot = await queries.progress("lab.ipynb", scope)
        ann = cell(snapshot, "ann")
        assert (ann["attempts"], ann["errors"], ann["status"]) == (2, 1, "succeeded")
        assert (ann["lastError"], ann["executionCount"]) == ("Err 1", 5)
        assert expand(await compact(queries, scope))["students"] == snapshot["students"]
    [listed] = await queries.notebooks()
    assert (listed["students"], listed["executions"]) == (2, 3)


async def test_a_caller_of_one_course_sees_only_its_runs(queries):
    snapshot = await queries.progress("lab.ipynb", only({"cs102": None}))
    assert [s["userId"] for s in snapshot["students"]] == ["ann"]
    ann = cell(snapshot, "ann")
    assert (ann["attempts"], ann["errors"], ann["lastError"]) == (1, 0, None)
    [listed] = await queries.notebooks(only({"cs102": None}))
    assert (listed["students"], listed["executions"]) == (1, 1)


async def test_a_section_ta_sees_only_the_students_of_the_section(queries):
    ta = only({"cs101": frozenset({"a"})})
    snapshot = await queries.progress("lab.ipynb", ta)
    assert [s["userId"] for s in snapshot["students"]] == ["ann"]
    assert cell(snapshot, "ann")["status"] == "failed"
    assert expand(await compact(queries, ta))["students"] == snapshot["students"]
    [listed] = await queries.notebooks(ta)
    assert listed["students"] == 1


async def test_a_caller_of_no_course_sees_nobody(queries):
    snapshot = await queries.progress("lab.ipynb", Scope())
    assert snapshot["students"] == [] and snapshot["notebooks"] == []
