"""What the collector's privacy gate costs per batch: consent and capture level applied.

    python bench/privacy_gate.py [--batches 2000] [--postgres]

Prints events per second through `privacy.intake.admit` for a notice course (no lookup), an
opt-out course (one cached consent lookup per batch and course) and a metadata-only course
(every event cut), on batches of 100 events, on SQLite or (--postgres) a database of its own on 127.0.0.1:5432,
dropped afterwards. No test asserts these figures.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from datetime import UTC, datetime

from progress_tracker.access.identity import Caller
from progress_tracker.events import Event, EventType
from progress_tracker.privacy.consent import ConsentBook
from progress_tracker.privacy.intake import admit
from progress_tracker.privacy.levels import CaptureLevel
from progress_tracker.privacy.policy import Consent, CoursePolicy, PrivacySettings
from progress_tracker.store.engine import create_engine
from progress_tracker.store.migrations import upgrade_to_head

COURSES = {
    "notice": CoursePolicy(),
    "optout": CoursePolicy(consent=Consent.OPT_OUT, capture_level=CaptureLevel.CODE),
    "metadata": CoursePolicy(capture_level=CaptureLevel.METADATA),
}


def batch(user: str) -> list[Event]:
    now = datetime.now(UTC)
    return [
        Event(
            event_id=uuid.uuid4().hex,
            event_type=EventType.CELL_EXECUTED,
            event_time=now,
            received_at=now,
            user_id=user,
            notebook_path="lab.ipynb",
            cell_id=f"c{i % 10}",
            code="x = 1\n" * 20,
            result="1",
            error_message="NameError: y",
            has_error=True,
        )
        for i in range(100)
    ]


async def main(batches: int, url: str) -> None:
    engine = create_engine(url)
    await upgrade_to_head(engine)
    settings = PrivacySettings(courses=COURSES)
    book = ConsentBook(engine, settings)
    sample = batch("student0")
    for course in COURSES:
        caller = Caller(f"s-{course}", False, groups=(f"{course}-students",), via_hub=True)
        events = [e.model_copy(update={"user_id": caller.user_id}) for e in sample]
        started = time.perf_counter()
        for _ in range(batches):
            await admit(events, caller, settings, book)
        seconds = time.perf_counter() - started
        print(
            f"{course:>9}: {batches * len(events) / seconds:12,.0f} events/s "
            f"({seconds / batches * 1e6:,.0f} µs per batch of {len(events)})"
        )
    await engine.dispose()


async def on_postgres(batches: int) -> None:
    import asyncpg

    name = f"bench_privacy_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        await main(batches, f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}")
    finally:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=2000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    if args.postgres:
        asyncio.run(on_postgres(args.batches))
    else:
        with tempfile.TemporaryDirectory() as folder:
            asyncio.run(main(args.batches, f"sqlite+aiosqlite:///{folder}/bench.sqlite"))
