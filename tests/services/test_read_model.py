"""The read model on PostgreSQL: the shared cell-state rules through the compact form (which
PostgreSQL serialises itself), redelivery and concurrent writers counted once, the COPY path
maintained like the INSERT path, and a rebuild that finds what was kept on write."""

from __future__ import annotations

import asyncio
import json
import random
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

import pytest
import pytest_asyncio
from sqlalchemy import text

from progress_tracker.courses.scope import Scope
from progress_tracker.events import Event
from progress_tracker.store.bulk import COPY_THRESHOLD
from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import upgrade_to_head
from progress_tracker.store.read import ProgressQueries, compact_sql
from progress_tracker.store.read.compact import compact_lines
from progress_tracker.store.state.check import differences
from progress_tracker.store.writer import EventWriter
from tests.server.test_compact_snapshot import expand
from tests.store.test_cell_state_rules import CASES, RULES, cell_state, stored_event
from tests.store.test_read_model_courses import run as course_run

pytestmark = [pytest.mark.services, pytest.mark.asyncio]


@pytest_asyncio.fixture
async def engine(postgres_url):
    engine = create_engine(postgres_url)
    await upgrade_to_head(engine)
    yield engine
    await engine.dispose()


def run(user: str, cell: str, seconds: float, *, failed: bool = False, **fields) -> Event:
    at = datetime(2026, 11, 30, 9, tzinfo=UTC) + timedelta(seconds=seconds)
    return Event.model_validate(
        {
            "eventId": fields.pop("eventId", f"{user}-{cell}-{seconds}"),
            "eventType": "cell_executed",
            "eventTime": at.isoformat(),
            "notebookPath": fields.pop("notebookPath", "lab.ipynb"),
            "cellId": cell,
            "cellIndex": int(cell[1:]),
            "hasError": failed,
            "errorMessage": f"KeyError: '{seconds}'" if failed else None,
            "executionCount": int(seconds),
            "userId": user,
            "receivedAt": at,
            **fields,
        }
    )


async def compact(queries: ProgressQueries, notebook: str) -> dict:
    snapshot = await queries.compact_snapshot(notebook)
    return json.loads("".join(compact_lines(snapshot, {}, page_size=2)))


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
async def test_the_compact_form_follows_the_shared_rules_on_postgresql(case, engine):
    now = datetime.now(UTC).replace(microsecond=0)
    writer = EventWriter(engine)
    for raw in case["events"]:
        await writer.write([stored_event(raw, now)])
    queries = ProgressQueries(engine)
    expanded = expand(await compact(queries, RULES["notebookPath"]))
    full = await queries.progress(RULES["notebookPath"])
    for expected in case["expected"]:
        actual = cell_state(expanded, expected["userId"], expected["cellId"], now)
        assert {key: actual.get(key) for key in expected} == expected
    assert expanded["students"] == full["students"]


async def test_an_event_delivered_twice_counts_once(engine):
    writer = EventWriter(engine)
    batch = [run("ada", "c1", 1, failed=True), run("ada", "c1", 2)]
    assert len(await writer.write(batch)) == 2
    assert await writer.write(batch) == []
    assert await EventWriter(engine).write(batch[:1]) == []  # another consumer, cold cache
    [ada] = (await ProgressQueries(engine).progress("lab.ipynb"))["students"]
    assert (ada["cells"]["c1"]["attempts"], ada["cells"]["c1"]["errors"]) == (2, 1)
    [listed] = await ProgressQueries(engine).notebooks()
    assert (listed["students"], listed["executions"]) == (1, 2)
    assert await differences(engine) == []


async def test_concurrent_consumers_redelivering_overlapping_batches_count_each_run_once(engine):
    """Four writers (as four consumers) store overlapping batches of 20 students at once."""
    runs = [
        run(f"s{student}", f"c{cell}", attempt * 60 + cell, failed=(student + attempt) % 3 == 0)
        for student in range(20)
        for cell in range(5)
        for attempt in range(4)
    ]
    rng = random.Random(14)
    batches = [rng.sample(runs, 60) for _ in range(24)] + [
        runs[i : i + 50] for i in range(0, 400, 50)
    ]
    writers = [EventWriter(engine) for _ in range(4)]

    async def consume(index: int) -> None:
        for batch in batches[index::4]:
            await writers[index].write(batch)

    await asyncio.gather(*(consume(i) for i in range(4)))
    snapshot = await ProgressQueries(engine).progress("lab.ipynb")
    assert sum(c["attempts"] for s in snapshot["students"] for c in s["cells"].values()) == 400
    [listed] = await ProgressQueries(engine).notebooks()
    assert (listed["students"], listed["executions"]) == (20, 400)
    assert await differences(engine) == [], "the read model is what a recount gives"


async def test_large_batches_through_copy_keep_the_read_model_like_small_ones(engine):
    large = [run(f"s{i % 7}", f"c{i % 3}", i, failed=i % 4 == 0) for i in range(COPY_THRESHOLD * 3)]
    writer = EventWriter(engine)
    await writer.write(large)
    await writer.write(large[: COPY_THRESHOLD * 2])  # redelivered through COPY again
    starts = [
        run("s1", "c9", 10_000, eventType="cell_started", eventId="start")
    ]  # a start of a cell never run
    await writer.write(starts)
    [listed] = await ProgressQueries(engine).notebooks()
    assert listed["executions"] == len(large)
    assert await differences(engine) == []


async def test_the_rebuild_finds_what_was_kept_on_write(engine):
    writer = EventWriter(engine)
    for second in range(30):
        await writer.write(
            [run(f"s{second % 4}", f"c{second % 5}", second, failed=second % 3 == 0)]
            + [run("s0", "c1", 5, eventId="late-and-old", failed=True)]
        )
    assert await differences(engine) == []


async def test_the_compact_form_merges_and_scopes_courses_as_the_full_form_on_postgresql(engine):
    """PostgreSQL serialises the compact students itself: the same merge of a student's runs in
    two courses, and the same scope (a course, a TA's section), as the full form."""
    writer = EventWriter(engine)
    await writer.write([course_run("ann", "cs101", 1, failed=True, section="a")])
    await writer.write([course_run("ann", "cs102", 5, failed=False)])
    await writer.write([course_run("bob", "cs101", 3, failed=True, section="b")])
    queries = ProgressQueries(engine)
    scopes = [
        Scope(everything=True),
        Scope(courses=MappingProxyType({"cs101": None, "cs102": None})),
        Scope(courses=MappingProxyType({"cs102": None})),
        Scope(courses=MappingProxyType({"cs101": frozenset({"a"})})),
    ]
    seen = []
    for scope in scopes:
        snapshot = await queries.compact_snapshot("lab.ipynb", scope)
        compact = json.loads("".join(compact_lines(snapshot, {}, page_size=1)))
        full = await queries.progress("lab.ipynb", scope)
        assert expand(compact)["students"] == full["students"]
        seen.append({s["userId"]: s["cells"]["c1"]["attempts"] for s in full["students"]})
    assert seen == [{"ann": 2, "bob": 1}, {"ann": 2, "bob": 1}, {"ann": 1}, {"ann": 1}]
    assert await differences(engine) == []


async def test_a_snapshot_plans_its_reads_for_their_own_parameters_and_writes_keep_theirs(engine):
    """A prepared statement run five times may get a generic plan, one that ignores that this
    notebook has 2,000 students and that one 30: the snapshot was 3x slower with it. Writes keep
    their cached plans: planning every batch's upsert anew would cost the ingest rate."""
    for _ in range(3):  # each time on a connection checked out again from the pool
        async with engine.connect() as conn:
            await compact_sql.tune(conn)
            assert await conn.scalar(text("SHOW plan_cache_mode")) == "force_custom_plan"
        async with engine.connect() as conn:
            assert await conn.scalar(text("SHOW plan_cache_mode")) == "auto"
