"""The audit log: who opened which course's dashboard, timeline or export, and when."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from .models import AuditEntry

ACTIONS = ("dashboard", "timeline", "export", "progsnap2", "subject-export", "subject-erase")


async def record(
    engine: AsyncEngine,
    *,
    actor: str,
    action: str,
    course: str | None,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add one entry (committed before the data it is about is sent)."""
    async with engine.begin() as conn:
        await conn.execute(
            insert(AuditEntry).values(
                at=datetime.now(UTC),
                actor=actor,
                action=action,
                course_id=course,
                target=None if target is None else target[:1024],
                detail=detail,
            )
        )


async def entries(
    engine: AsyncEngine,
    *,
    course: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """The newest entries first, filtered."""
    a = AuditEntry
    query = select(a.id, a.at, a.actor, a.action, a.course_id, a.target, a.detail)
    if course is not None:
        query = query.where(a.course_id == course)
    if actor is not None:
        query = query.where(a.actor == actor)
    if since is not None:
        query = query.where(a.at >= since)
    if until is not None:
        query = query.where(a.at < until)
    query = query.order_by(a.at.desc(), a.id.desc()).limit(limit)
    async with engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    return [
        {
            "id": row.id,
            "at": _utc(row.at).isoformat(),
            "actor": row.actor,
            "action": row.action,
            "course": row.course_id,
            "target": row.target,
            "detail": row.detail,
        }
        for row in rows
    ]


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
