"""The writer's id caches are bounded, and a cache that starts over never loses a batch's ids."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
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
