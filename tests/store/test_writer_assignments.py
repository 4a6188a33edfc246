"""The writer never creates an assignment: an unregistered assignment id is stored by path."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from progress_tracker.events import Event
from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import upgrade_to_head
from progress_tracker.store.models import CellExecution, Notebook
from progress_tracker.store.writer import EventWriter


@pytest.mark.asyncio
async def test_an_unregistered_assignment_id_is_stored_under_its_path(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/w.sqlite")
    try:
        await upgrade_to_head(engine)
        now = datetime.now(UTC)
        event = Event.model_validate(
            {
                "eventId": "e1",
                "eventType": "cell_executed",
                "eventTime": now.isoformat(),
                "notebookPath": "lab.ipynb",
                "cellId": "c1",
                "assignmentId": "never-published",
                "userId": "ann",
                "receivedAt": now,
                "course": "default",
            }
        )
        assert len(await EventWriter(engine).write([event])) == 1
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(Notebook.assignment_id, Notebook.path).join(
                        CellExecution, CellExecution.notebook_id == Notebook.id
                    )
                )
            ).all()
        assert [tuple(row) for row in rows] == [("", "lab.ipynb")]
    finally:
        await engine.dispose()
