"""The retention purge: rows and points older than their course's retention are deleted.

Each course with a retention of its own is purged by its course id; the default retention
covers every other course. `purge(..., dry_run=True)` counts what would go and deletes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ..store.state.rebuild import rebuild
from .influx import InfluxDeleteError, InfluxPoints
from .policy import PrivacySettings
from .tables import in_course, purged_tables

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Cut:
    """Delete what is older than `before` in `course` (None: every course without its own)."""

    course: str | None
    before: datetime


def cuts(settings: PrivacySettings, now: datetime) -> list[Cut]:
    """The cut of every course that has a retention."""
    found = []
    for course, days in settings.retained_courses().items():
        found.append(Cut(None if course == "*" else course, now - timedelta(days=days)))
    return found


async def purge(
    engine: AsyncEngine,
    settings: PrivacySettings,
    *,
    influx: InfluxPoints | None = None,
    now: datetime | None = None,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Delete (or, dry, count) rows and points past retention; the report of what went."""
    now = now or datetime.now(UTC)
    own = set(settings.courses)
    report: dict[str, Any] = {"dryRun": dry_run, "at": now.isoformat(), "courses": []}
    for cut in cuts(settings, now):
        tables: dict[str, int | str] = {}
        async with engine.begin() as conn:
            for table, time_column in purged_tables():
                where = (time_column < cut.before) & in_course(table, cut.course, own)
                if dry_run:
                    count = (await conn.execute(select(func.count()).where(where))).scalar_one()
                else:
                    count = (await conn.execute(delete(table).where(where))).rowcount
                tables[table.name] = int(count or 0)
            if not dry_run and any(tables.values()):  # every value is a count here
                # The read model is derived from what was just deleted: recount it from what
                # remains, in the same transaction, so the dashboard never shows purged runs.
                await conn.run_sync(rebuild)
                tables["read model"] = "rebuilt"
        entry: dict[str, Any] = {
            "course": cut.course or "*",
            "before": cut.before.isoformat(),
            "rows": tables,
        }
        if influx is not None:
            entry["influxdb"] = await _purge_points(influx, cut, own, dry_run)
        report["courses"].append(entry)
    return report


async def _purge_points(influx: InfluxPoints, cut: Cut, own: set[str], dry_run: bool) -> str:
    tags = {"course": cut.course} if cut.course is not None else {}
    # Points of courses with their own retention are theirs (points without a course tag match).
    not_tags = {"course": sorted(own)} if cut.course is None and own else {}
    if dry_run:
        return "would delete the points older than the cut"
    try:
        await influx.delete(tags=tags, not_tags=not_tags, before=cut.before)
    except InfluxDeleteError as err:
        log.warning("progress_tracker: the InfluxDB retention delete failed: %s", err)
        return f"failed: {err}"
    return "deleted"
