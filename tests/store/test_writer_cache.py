"""The writer's id caches are bounded, and a cache that starts over never loses a batch's ids."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from progress_tracker.events import Event
from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import upgrade_to_head
from progress_tracker.store.models import CellExecution
from progress_tracker.store.writer import EventWriter


def run(user: str, notebook: str, cell: str, number: int) -> Event:
    now = datetime.now(UTC)
    return Event.model_validate(
        {
            "eventId": f"e-{user}-{notebook}-{cell}-{number}",
            "eventType": "cell_executed",
            "eventTime": now.isoformat(),
            "notebookPath": notebook,
            "cellId": cell,
            "userId": user,
            "receivedAt": now,
        }
    )


@pytest.mark.asyncio
async def test_batches_larger_than_the_caches_are_stored_whole(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/cache.sqlite")
    try:
        await upgrade_to_head(engine)
        writer = EventWriter(engine, cache_size=3)
        batches = [
            [run(f"s{i % 5}", f"nb{i % 4}.ipynb", f"c{i % 7}", i) for i in range(start, start + 9)]
            for start in range(0, 45, 9)
        ]
        for batch in batches:
            assert len(await writer.write(batch)) == len(batch)
        assert await writer.write(batches[0]) == [], "a retry stores nothing twice"
        async with engine.connect() as conn:
            stored = await conn.scalar(select(func.count()).select_from(CellExecution))
        assert stored == 45
        assert max(len(writer._students), len(writer._notebooks), len(writer._cells)) <= 9
    finally:
        await engine.dispose()


@pytest.mark.asyncio
async def test_a_batch_the_database_refuses_is_written_once_and_leaves_the_cache_warm(tmp_path):
    """Bad data (a CHECK constraint) is not a stale cache: the writer neither retries it nor
    forgets the ids it knows, so poison being isolated does not slow the class's next batches."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/refused.sqlite")
    attempts: list[str] = []
    try:
        await upgrade_to_head(engine)
        async with engine.begin() as conn:
            await conn.exec_driver_sql(
                "CREATE TRIGGER no_poison BEFORE INSERT ON cell_executions "
                "WHEN NEW.event_id LIKE 'e-intruder-%' "
                "BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: no_poison'); END"
            )
        writer = EventWriter(engine)
        assert len(await writer.write([run("s1", "nb.ipynb", "c1", 1)])) == 1
        known = (dict(writer._students), dict(writer._notebooks), dict(writer._cells))

        def count(_conn, _cursor, statement, *_args):
            if statement.lstrip().upper().startswith("INSERT INTO CELL_EXECUTIONS"):
                attempts.append(statement)

        sa_event.listen(engine.sync_engine, "before_cursor_execute", count)
        with pytest.raises(Exception, match="no_poison"):
            await writer.write([run("intruder", "nb.ipynb", "p1", 1)])
        assert len(attempts) == 1, "refused data is not written a second time"
        assert known[0].items() <= writer._students.items()
        assert known[1].items() <= writer._notebooks.items()
        assert known[2].items() <= writer._cells.items()
        assert "intruder" not in writer._students, "ids of a rolled-back write are not cached"
        assert len(await writer.write([run("s1", "nb.ipynb", "c1", 2)])) == 1
    finally:
        await engine.dispose()
