"""A simulated class, so that a newcomer's dashboard has something to show."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from .events import Event, EventType

if TYPE_CHECKING:
    from .runtime import Runtime

DEMO_NOTEBOOK = "demo/pandas-intro.ipynb"


@dataclass(frozen=True)
class DemoCell:
    """A cell of the demo notebook with the mistakes students typically make in it."""

    cell_id: str
    code: str
    errors: tuple[str, ...] = ()
    difficulty: float = 0.1


CELLS = [
    DemoCell("c01-imports", "import pandas as pd\nimport numpy as np"),
    DemoCell(
        "c02-load",
        "sales = pd.read_csv('sales.csv')",
        ("FileNotFoundError: [Errno 2] No such file or directory: 'sale.csv'",),
        0.15,
    ),
    DemoCell("c03-head", "sales.head()"),
    DemoCell(
        "c04-columns",
        "sales['price'].mean()",
        ("KeyError: 'price'", "NameError: name 'sales' is not defined"),
        0.45,
    ),
    DemoCell(
        "c05-filter",
        "cheap = sales[sales.unit_price < 10]",
        ("AttributeError: 'DataFrame' object has no attribute 'unit_prize'",),
        0.3,
    ),
    DemoCell(
        "c06-groupby",
        "sales.groupby('region')['revenue'].sum()",
        ("KeyError: 'revenue'", "TypeError: unhashable type: 'list'"),
        0.4,
    ),
    DemoCell(
        "c07-plot", "sales.plot(x='date', y='units')", ("ValueError: x must be a label",), 0.2
    ),
    DemoCell(
        "c08-merge",
        "full = sales.merge(regions, on='region_id')",
        ("MergeError: No common columns to perform merge on",),
        0.35,
    ),
    DemoCell(
        "c09-pivot",
        "full.pivot_table(index='region', columns='month', values='units')",
        ("ValueError: Index contains duplicate entries, cannot reshape",),
        0.3,
    ),
    DemoCell(
        "c10-summary",
        "print(f'Total revenue: {total:,.2f}')",
        ("NameError: name 'total' is not defined",),
        0.25,
    ),
]

STUDENTS = [
    "ada",
    "alan",
    "barbara",
    "claude",
    "dennis",
    "donald",
    "edsger",
    "frances",
    "grace",
    "guido",
    "hedy",
    "john",
    "katherine",
    "ken",
    "linus",
    "margaret",
    "niklaus",
    "radia",
    "shafi",
    "sophie",
    "tim",
    "tony",
    "vint",
    "yukihiro",
]
STRUGGLING = {"claude", "hedy", "tony"}


class DemoClass:
    """Seeds a class history into an empty demo notebook, then keeps the class working live."""

    def __init__(self, tracker: Runtime, *, seed: int = 7, interval_s: float = 2.5):
        self.tracker = tracker
        self.random = random.Random(seed)
        self.interval_s = interval_s
        self.position = {name: 0 for name in STUDENTS}
        self.counts = {name: 0 for name in STUDENTS}

    async def seed(self) -> bool:
        """Load forty minutes of class history unless the demo notebook has data already."""
        tracker = await self.tracker.ready()
        known = {nb["path"] for nb in await tracker.queries.notebooks()}
        if DEMO_NOTEBOOK in known:
            return False
        history = list(self.history(datetime.now(UTC) - timedelta(minutes=40)))
        for start in range(0, len(history), 200):
            await tracker.pipeline.accept(history[start : start + 200])
        self.tracker.log.info("progress_tracker: demo class of %d loaded", len(STUDENTS))
        return True

    async def run(self) -> None:
        """Seed history once, then emit a run every few seconds until cancelled."""
        await self.seed()
        tracker = self.tracker
        while True:
            await asyncio.sleep(self.interval_s)
            name = self.random.choice(STUDENTS)
            await tracker.pipeline.accept(self.attempt(name, datetime.now(UTC)))

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
                cell_index=index,
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
