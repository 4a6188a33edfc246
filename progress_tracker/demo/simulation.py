"""A simulated class, so that a newcomer's dashboard has something to show and someone to join."""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..events import Event, EventType
from .course import CELL_INDEX, CELLS, DEMO_NOTEBOOK
from .folder import demo_database_url, demo_folder, prepare_demo_folder, uses_demo_database

if TYPE_CHECKING:
    from ..runtime import Runtime

# The newcomer's guide; `python -m progress_tracker.demo` shows this logger's lines.
guide = logging.getLogger(__name__)

STUDENTS = [
    *("ada", "alan", "barbara", "claude", "dennis", "donald", "edsger", "frances"),
    *("grace", "guido", "hedy", "john", "katherine", "ken", "linus", "margaret"),
    *("niklaus", "radia", "shafi", "sophie", "tim", "tony", "vint", "yukihiro"),
]
STRUGGLING = {"claude", "hedy", "tony"}


class DemoClass:
    """Seeds a class history into the demo's own database, then keeps the class working live.

    Each simulated student's place in the notebook is derived from what is stored, so after a
    restart the class carries on where it was."""

    def __init__(self, runtime: Runtime, *, seed: int = 7, interval_s: float = 2.5):
        self.runtime = runtime
        self.random = random.Random(seed)
        self.interval_s = interval_s
        self.folder = demo_folder()
        self.position = {name: 0 for name in STUDENTS}
        self.counts = {name: 0 for name in STUDENTS}

    async def seed(self) -> bool:
        """Load forty minutes of class history, or resume the stored class. True if loaded."""
        runtime = await self.runtime.ready()
        known = {nb["path"] for nb in await runtime.queries.notebooks()}
        if DEMO_NOTEBOOK in known:
            await self.resume()
            return False
        history = list(self.history(datetime.now(UTC) - timedelta(minutes=40)))
        for start in range(0, len(history), 200):
            await runtime.pipeline.accept(history[start : start + 200])
        self.runtime.log.info("progress_tracker: demo class of %d loaded", len(STUDENTS))
        return True

    async def resume(self) -> None:
        """Put every simulated student back where the stored executions say they are."""
        snapshot = await self.runtime.queries.progress(DEMO_NOTEBOOK)
        for student in snapshot["students"]:
            name = student["userId"]
            if name in self.position:  # not the newcomer
                self.position[name] = _cells_passed(student["cells"])
                self.counts[name] = sum(cell["attempts"] for cell in student["cells"].values())

    async def run(self) -> None:
        """Seed or resume once, then emit a run every few seconds until cancelled."""
        database_url = self.runtime.settings.database_url
        if not uses_demo_database(database_url, self.folder):
            self.runtime.log.error(
                "progress_tracker: the demo class writes only to its own database; start it "
                "with `python -m progress_tracker.demo` (or --ProgressTracker.database_url=%s)",
                demo_database_url(self.folder),
            )
            return
        prepare_demo_folder(self.folder)
        await self.seed()
        self._greet()
        runtime = self.runtime
        while True:
            await asyncio.sleep(self.interval_s)
            name = self.random.choice(STUDENTS)
            await runtime.pipeline.accept(self.attempt(name, datetime.now(UTC)))

    def _greet(self) -> None:
        guide.info(
            "%d simulated students are working through %s. Open it, run its cells, and find "
            'yourself ("%s") next to them in the Progress dashboard (in the Launcher).',
            len(STUDENTS),
            DEMO_NOTEBOOK,
            self.runtime.settings.identity.owner_name,
        )

    def history(self, start: datetime) -> Iterator[Event]:
        """About forty minutes of a class working through the notebook."""
        now = datetime.now(UTC)
        clock = start
        while clock < now - timedelta(seconds=30):
            clock += timedelta(seconds=self.random.uniform(1, 8))
            yield from self.attempt(self.random.choice(STUDENTS), min(clock, now))

    def attempt(self, name: str, when: datetime) -> list[Event]:
        """One student runs their current cell: it fails or succeeds (and they move on)."""
        index = self.position[name]
        if index >= len(CELLS):
            index = self.random.randrange(len(CELLS))  # finished: revisiting earlier cells
        cell = CELLS[index]
        odds = cell.difficulty * (2.2 if name in STRUGGLING else 1.0)
        failed = bool(cell.errors) and self.random.random() < min(odds, 0.9)
        if not failed and self.position[name] == index:
            self.position[name] = index + 1
        self.counts[name] += 1
        return [
            Event(
                event_id=f"demo-{uuid.uuid4().hex}",
                event_type=EventType.CELL_EXECUTED,
                event_time=when,
                received_at=when,
                user_id=name,
                notebook_path=DEMO_NOTEBOOK,
                cell_id=cell.cell_id,
                cell_index=CELL_INDEX[cell.cell_id],
                cell_type="code",
                code=cell.code,
                execution_count=self.counts[name],
                has_error=failed,
                error_message=self.random.choice(cell.errors) if failed else None,
                result=None if failed else "ok",
                execution_duration_ms=round(self.random.uniform(3, 900), 1),
                metadata={"demo": True},
            )
        ]


def _cells_passed(cells: dict[str, dict[str, Any]]) -> int:
    """How many cells, in notebook order, a student has run successfully at least once: a
    simulated student moves to the next cell only after the current one succeeds."""
    passed = 0
    for cell in CELLS:
        state = cells.get(cell.cell_id)
        if state is None or state["attempts"] <= state["errors"]:
            break
        passed += 1
    return passed
