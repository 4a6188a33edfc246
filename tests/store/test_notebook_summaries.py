"""The list of exercises reads the notebooks' summaries kept on write (one row per notebook and
course), on SQLite and PostgreSQL: every student counted once, whatever the redeliveries, the
concurrent writers, the courses and sections, an erasure or a rebuild."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

import pytest
import pytest_asyncio
from sqlalchemy import text

from progress_tracker.courses.scope import Scope
from progress_tracker.events import Event
from progress_tracker.privacy.subject import erase_rows
from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import upgrade_to_head
from progress_tracker.store.read.listing import notebook_list
from progress_tracker.store.state.check import differences
from progress_tracker.store.writer import EventWriter
from tests.dialects import database_url  # noqa: F401 - the fixture

pytestmark = pytest.mark.asyncio


def now() -> datetime:
    """The time of the test itself (a module-level time would be stale by when a long suite
    reaches the test, and presence counts from the server's clock)."""
    return datetime.now(UTC).replace(microsecond=0)


def run(
    user: str,
    number: int,
    *,
    course: str = "cs101",
    section: str | None = None,
    path: str = "lab.ipynb",
    ago: timedelta = timedelta(0),
) -> Event:
    at = now() - ago
    return Event.model_validate(
        {
            "eventId": f"{user}-{path}-{course}-{number}",
            "eventType": "cell_executed",
            "eventTime": at.isoformat(),
            "notebookPath": path,
            "cellId": f"c{number % 3}",
            "cellIndex": number % 3,
            "hasError": False,
            "executionCount": number,
            "userId": user,
            "receivedAt": at,
            "course": course,
            "section": section,
        }
    )


@pytest_asyncio.fixture
async def engine(database_url):  # noqa: F811 - the fixture imported above
    engine = create_engine(database_url)
    await upgrade_to_head(engine)
    yield engine
    assert await differences(engine) == [], "what was kept on write is what a recount gives"
    await engine.dispose()


def listed(notebooks: list[dict], path: str = "lab.ipynb") -> tuple[int, int, int]:
    [entry] = [nb for nb in notebooks if nb["path"] == path]
    return entry["students"], entry["activeStudents"], entry["executions"]


async def test_each_student_counts_once_however_often_their_runs_are_delivered(engine):
    writer = EventWriter(engine)
    await writer.write([run("ann", n) for n in range(5)] + [run("bob", 0)])
    await writer.write([run("ann", n) for n in range(5)])  # redelivered: nothing new
    await writer.write([run("bob", 1), run("cat", 0, ago=timedelta(hours=3))])
    assert listed(await notebook_list(engine)) == (3, 2, 8)


async def test_concurrent_first_runs_of_one_student_count_them_once(engine):
    writers = [EventWriter(engine) for _ in range(4)]
    await asyncio.gather(
        *(
            writer.write([run("ann", 10 * index + n) for n in range(3)])
            for index, writer in enumerate(writers)
        )
    )
    assert listed(await notebook_list(engine)) == (1, 1, 12)


async def test_a_student_of_two_courses_counts_once_for_a_caller_of_both(engine):
    writer = EventWriter(engine)
    await writer.write([run("ann", 0, course="cs101"), run("bob", 0, course="cs101")])
    await writer.write([run("ann", 1, course="cs102")])
    assert listed(await notebook_list(engine)) == (2, 2, 3)
    one = Scope(courses=MappingProxyType({"cs102": None}))
    assert listed(await notebook_list(engine, one)) == (1, 1, 1)


async def test_a_section_ta_counts_the_students_of_their_sections(engine):
    writer = EventWriter(engine)
    await writer.write(
        [
            run("ann", 0, section="a"),
            run("bob", 0, section="b"),
            run("cat", 0, section="a", ago=timedelta(hours=2)),
        ]
    )
    ta = Scope(courses=MappingProxyType({"cs101": frozenset({"a"})}))
    assert listed(await notebook_list(engine, ta)) == (2, 1, 2)


async def test_an_erased_student_is_no_longer_counted(engine):
    writer = EventWriter(engine)
    await writer.write([run("ann", 0), run("ann", 1), run("bob", 0)])
    await erase_rows(engine, "ann", b"k" * 32)
    assert listed(await notebook_list(engine)) == (1, 1, 1)


async def test_the_list_never_reads_the_history(engine):
    """What the list shows stays when the executions are gone (it reads the summaries)."""
    writer = EventWriter(engine)
    await writer.write([run("ann", 0), run("bob", 0), run("bob", 1, path="other.ipynb")])
    before = await notebook_list(engine)
    async with engine.begin() as conn:
        stored = await conn.execute(text("SELECT * FROM cell_executions"))
        saved = [dict(row) for row in stored.mappings()]
        await conn.execute(text("DELETE FROM cell_executions"))
    assert await notebook_list(engine) == before
    async with engine.begin() as conn:  # the history back, for the recount check
        columns = list(saved[0])
        await conn.execute(
            text(
                f"INSERT INTO cell_executions ({', '.join(columns)}) "
                f"VALUES ({', '.join(':' + column for column in columns)})"
            ),
            saved,
        )
