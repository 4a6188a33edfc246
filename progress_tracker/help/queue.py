"""The help queue as a caller reads it: open entries in scope, claimed and resolved by staff."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from ..courses.scope import Scope
from ..errors import Forbidden, NotFound, TrackerError
from ..store.models import CourseMember, Notebook, Student
from ..store.read.rows import iso
from ..store.read.scoping import NotebookKey, as_key, in_scope, notebook_is
from .models import CLAIMED, OPEN_STATES, RESOLVED, HelpEntry

CLAIM = "claim"
RESOLVE = "resolve"


class AlreadyResolved(TrackerError):
    """The entry was resolved (or lowered by its student) already."""

    status = 409


def _columns() -> Select[Any]:
    member = and_(
        CourseMember.course_id == HelpEntry.course_id,
        CourseMember.student_id == HelpEntry.student_id,
    )
    return (
        select(
            *HelpEntry.__table__.c,
            Student.user_id.label("student"),
            Notebook.path.label("path"),
            Notebook.assignment_id.label("assignment"),
            Notebook.published_path.label("published_path"),
            CourseMember.section.label("section"),
        )
        .join(Student, Student.id == HelpEntry.student_id)
        .join(Notebook, Notebook.id == HelpEntry.notebook_id)
        .outerjoin(CourseMember, member)
    )


def _wire(row: Any) -> dict[str, Any]:
    """An entry in the API's form (docs/api.md)."""
    entry = row._mapping
    return {
        "id": entry["id"],
        "student": entry["student"],
        "course": entry["course_id"],
        "section": entry["section"],
        "notebook": entry["path"] or entry["published_path"] or "",
        "assignment": entry["assignment"] or None,
        "cellId": entry["cell_id"],
        "message": entry["message"],
        "raisedAt": iso(entry["raised_at"]),
        "state": entry["state"],
        "claimedBy": entry["claimed_by"],
        "claimedAt": iso(entry["claimed_at"]),
        "resolvedBy": entry["resolved_by"],
        "resolvedAt": iso(entry["resolved_at"]),
    }


class HelpQueue:
    """Reads and changes the help queue over one engine."""

    def __init__(self, engine: AsyncEngine):
        self.engine = engine

    async def open_entries(
        self,
        scope: Scope,
        exercise: str | NotebookKey | None = None,
    ) -> list[dict[str, Any]]:
        """The open entries in `scope` (of one exercise when given), the longest waiting first."""
        query = _columns().where(
            HelpEntry.state.in_(OPEN_STATES),
            in_scope(scope, HelpEntry.course_id, HelpEntry.student_id),
        )
        key = as_key(exercise)
        if key is not None:
            query = query.where(notebook_is(key))
        async with self.engine.connect() as conn:
            rows = await conn.execute(query.order_by(HelpEntry.raised_at, HelpEntry.id))
            return [_wire(row) for row in rows]

    async def mine(self, user_id: str) -> list[dict[str, Any]]:
        """A student's own open entries, oldest first."""
        query = _columns().where(HelpEntry.state.in_(OPEN_STATES), Student.user_id == user_id)
        async with self.engine.connect() as conn:
            rows = await conn.execute(query.order_by(HelpEntry.raised_at, HelpEntry.id))
            return [_wire(row) for row in rows]

    async def by_event(self, user_id: str, event_id: str) -> dict[str, Any] | None:
        """The entry the student's event `event_id` changed last (a live message's)."""
        query = _columns().where(Student.user_id == user_id, HelpEntry.last_event_id == event_id)
        async with self.engine.connect() as conn:
            row = (await conn.execute(query.order_by(HelpEntry.id.desc()).limit(1))).first()
            return None if row is None else _wire(row)

    async def change(self, entry_id: int, action: str, by: str, scope: Scope) -> dict[str, Any]:
        """Claim or resolve an entry as staff member `by`: 404 unknown, 403 out of scope, 409
        resolved already. Claiming a claimed entry hands it to `by` (a colleague takes over)."""
        async with self.engine.begin() as conn:
            found = (
                await conn.execute(
                    select(
                        HelpEntry.state,
                        in_scope(scope, HelpEntry.course_id, HelpEntry.student_id),
                    ).where(HelpEntry.id == entry_id)
                )
            ).first()
            if found is None:
                raise NotFound(f"No help entry {entry_id}.")
            state, allowed = found
            if not allowed:
                raise Forbidden(f"Help entry {entry_id} is not of your courses or sections.")
            if state == RESOLVED:
                raise AlreadyResolved(f"Help entry {entry_id} is resolved already.")
            now = datetime.now(UTC)
            values = (
                {"state": CLAIMED, "claimed_by": by, "claimed_at": now}
                if action == CLAIM
                else {"state": RESOLVED, "resolved_by": by, "resolved_at": now}
            )
            # The state is checked again in the update: two staff resolving at once, one wins.
            changed = await conn.execute(
                update(HelpEntry)
                .where(HelpEntry.id == entry_id, HelpEntry.state.in_(OPEN_STATES))
                .values(**values)
            )
            if changed.rowcount != 1:
                raise AlreadyResolved(f"Help entry {entry_id} is resolved already.")
            row = (await conn.execute(_columns().where(HelpEntry.id == entry_id))).one()
            return _wire(row)
