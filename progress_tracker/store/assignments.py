"""Published assignments: registering their structure, and which course an assignment is of."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from ..courses.publication import Publication
from .dialect import insert_for
from .membership import ensure_courses
from .models import Cell, Notebook
from .read.rows import iso


class AssignmentConflict(Exception):
    """The assignment id is registered to another course."""

    def __init__(self, course: str):
        super().__init__(course)
        self.course = course


class AssignmentRegistry:
    """Publishes assignments, and tells intake the registered course of an assignment id.

    Courses of known assignments are cached (an assignment never changes course); ids not
    registered are looked up again on every batch that names them, so an assignment published
    through another collector replica is known at once.
    """

    def __init__(self, engine: AsyncEngine):
        self.engine = engine
        self._courses: dict[str, str] = {}

    async def courses_of(self, assignment_ids: set[str]) -> dict[str, str]:
        """The course of each registered assignment among `assignment_ids`."""
        found = {a: self._courses[a] for a in assignment_ids if a in self._courses}
        missing = assignment_ids - found.keys()
        if missing:
            async with self.engine.connect() as conn:
                rows = await conn.execute(
                    select(Notebook.assignment_id, Notebook.course_id).where(
                        Notebook.assignment_id.in_(missing), Notebook.path == ""
                    )
                )
                for assignment, course in rows:
                    if course is not None:
                        found[assignment] = self._courses[assignment] = course
        return found

    async def registered_course(self, assignment_id: str) -> str | None:
        """The course an assignment id is registered to, if it is."""
        return (await self.courses_of({assignment_id})).get(assignment_id)

    async def publish(self, publication: Publication, assignment_id: str) -> tuple[bool, int]:
        """Register or update the structure; (created, version). History is kept: a cell that
        is no longer published keeps its executions (and its label), it is just not a column."""
        now = datetime.now(UTC)
        dialect = self.engine.dialect.name
        async with self.engine.begin() as conn:
            await ensure_courses(conn, dialect, [publication.course], now)
            row = (
                await conn.execute(
                    select(Notebook.id, Notebook.course_id, Notebook.version).where(
                        Notebook.assignment_id == assignment_id, Notebook.path == ""
                    )
                )
            ).first()
            if row is not None and row.course_id != publication.course:
                raise AssignmentConflict(row.course_id)
            fields = {
                "course_id": publication.course,
                "title": publication.title,
                "published_path": publication.path,
                "published_at": now,
            }
            if row is None:
                notebook_id = await conn.scalar(
                    insert_for(dialect, Notebook)
                    .values(
                        assignment_id=assignment_id, path="", created_at=now, version=1, **fields
                    )
                    .returning(Notebook.id)
                )
                version = 1
            else:
                notebook_id, version = row.id, (row.version or 0) + 1
                await conn.execute(
                    update(Notebook)
                    .where(Notebook.id == notebook_id)
                    .values(version=version, **fields)
                )
            await conn.execute(
                update(Cell)
                .where(Cell.notebook_id == notebook_id, Cell.published.is_(True))
                .values(published=False, position=None)
            )
            if publication.cells:
                stmt = insert_for(dialect, Cell)
                stmt = stmt.on_conflict_do_update(
                    index_elements=["notebook_id", "cell_id"],
                    set_={
                        name: stmt.excluded[name]
                        for name in (
                            "cell_index",
                            "cell_type",
                            "published",
                            "position",
                            "label",
                            "source",
                            "grade_id",
                        )
                    },
                )
                await conn.execute(
                    stmt,
                    [
                        {
                            "notebook_id": notebook_id,
                            "cell_id": cell.cell_id,
                            "cell_index": position,
                            "cell_type": cell.cell_type,
                            "published": True,
                            "position": position,
                            "label": cell.label,
                            "source": cell.source,
                            "grade_id": cell.grade_id,
                        }
                        for position, cell in enumerate(publication.cells)
                    ],
                )
        self._courses[assignment_id] = publication.course
        return row is None, version


def assignment_summary(row: Any) -> dict[str, Any]:
    """An assignment as the API lists it."""
    return {
        "assignmentId": row.assignment_id,
        "course": row.course_id,
        "title": row.title,
        "path": row.published_path,
        "version": row.version,
        "publishedAt": iso(row.published_at),
    }
