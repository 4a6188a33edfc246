"""Students' consent choices and their capture plugin's reports, stored per course.

The collector asks `capture_on` for every batch of an opt-in or opt-out course; answers are
cached for `ttl_s` (a choice made on another collector replica counts after at most that long;
one made on this replica at once).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ..store.dialect import insert_for
from .models import ConsentState
from .policy import Consent, PrivacySettings


@dataclass(frozen=True)
class StudentConsent:
    """One student's state in one course."""

    choice: bool | None = None
    chosen_at: datetime | None = None
    seen_at: datetime | None = None


class ConsentBook:
    """Reads and writes `consents` rows; caches what the intake asks."""

    def __init__(self, engine: AsyncEngine, settings: PrivacySettings, *, ttl_s: float = 2.0):
        self.engine = engine
        self.settings = settings
        self.ttl_s = ttl_s
        self._cache: dict[tuple[str, str], tuple[float, bool | None]] = {}

    async def state(self, course: str, user: str) -> StudentConsent:
        """The student's stored state (nothing chosen when there is no row)."""
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(ConsentState.choice, ConsentState.chosen_at, ConsentState.seen_at).where(
                        ConsentState.course_id == course, ConsentState.user_id == user
                    )
                )
            ).first()
        return StudentConsent(*row) if row else StudentConsent()

    async def states(self, courses: list[str], user: str) -> dict[str, StudentConsent]:
        """The student's stored state in each of `courses`, in one query."""
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(
                        ConsentState.course_id,
                        ConsentState.choice,
                        ConsentState.chosen_at,
                        ConsentState.seen_at,
                    ).where(ConsentState.user_id == user, ConsentState.course_id.in_(courses))
                )
            ).all()
        found = {course: StudentConsent(*rest) for course, *rest in rows}
        return {course: found.get(course, StudentConsent()) for course in courses}

    async def choose(self, course: str, user: str, capture: bool) -> StudentConsent:
        """Store the student's choice (now)."""
        now = datetime.now(UTC)
        await self._upsert(course, user, {"choice": capture, "chosen_at": now})
        self._cache[(course, user)] = (time.monotonic(), capture)
        return await self.state(course, user)

    async def check_in(self, course: str, user: str, capturing: bool) -> None:
        """The student's capture plugin reported in, capturing or not."""
        await self._upsert(
            course, user, {"seen_at": datetime.now(UTC), "seen_capturing": capturing}
        )

    async def know(self, course: str, user: str) -> None:
        """Count `user` among the students of `course` (they opened the notice)."""
        stmt = insert_for(self.engine.dialect.name, ConsentState).values(
            course_id=course, user_id=user
        )
        async with self.engine.begin() as conn:
            await conn.execute(stmt.on_conflict_do_nothing(index_elements=["course_id", "user_id"]))

    async def _upsert(self, course: str, user: str, values: dict[str, Any]) -> None:
        stmt = insert_for(self.engine.dialect.name, ConsentState).values(
            course_id=course, user_id=user, **values
        )
        stmt = stmt.on_conflict_do_update(index_elements=["course_id", "user_id"], set_=values)
        async with self.engine.begin() as conn:
            await conn.execute(stmt)

    async def capture_on(self, course: str, user: str) -> bool:
        """Whether events of `user` in `course` may be kept now, under the course's policy."""
        policy = self.settings.policy(course)
        if policy.consent is Consent.NOTICE:
            return True
        cached = self._cache.get((course, user))
        if cached is not None and time.monotonic() - cached[0] < self.ttl_s:
            choice = cached[1]
        else:
            choice = (await self.state(course, user)).choice
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[(course, user)] = (time.monotonic(), choice)
        return policy.capture_on(choice)

    def forget(self, user: str) -> None:
        """Drop what is cached about `user` (after an erasure)."""
        for key in [key for key in self._cache if key[1] == user]:
            del self._cache[key]

    async def counts(self, course: str) -> dict[str, Any]:
        """How many students of `course` opted out, have not agreed, or have capture off.

        Counts only, never who: the dashboard shows them so that an instructor knows how much
        of the class the data covers. A student counts as "not reporting" when their capture
        plugin has not reported for `silent_after_s` (switched off in the plugin manager, or
        JupyterLab closed): see docs/privacy.md.
        """
        policy = self.settings.policy(course)
        recent = datetime.now(UTC) - timedelta(seconds=self.settings.silent_after_s)
        c = ConsentState
        reporting = and_(c.seen_at.is_not(None), c.seen_at >= recent)
        query = select(
            func.count(),
            func.count().filter(c.choice.is_(False)),
            func.count().filter(c.choice.is_(None)),
            func.count().filter(and_(reporting, c.seen_capturing.is_(True))),
            func.count().filter(and_(reporting, c.seen_capturing.is_not(True))),
            func.count().filter(or_(c.seen_at.is_(None), c.seen_at < recent)),
        ).where(c.course_id == course)
        async with self.engine.connect() as conn:
            known, refused, unchosen, capturing, off, silent = (await conn.execute(query)).one()
        return {
            "course": course,
            "policy": policy.consent.value,
            "captureLevel": policy.capture_level.value,
            "students": known,
            "capturing": capturing,
            "optedOut": refused if policy.consent is not Consent.NOTICE else 0,
            "awaitingConsent": unchosen if policy.consent is Consent.OPT_IN else 0,
            "captureOff": off,
            "notReporting": silent,
            "silentAfterSeconds": self.settings.silent_after_s,
        }
