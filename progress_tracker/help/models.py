"""The help queue's table: one row per raised hand, open until resolved or lowered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..store.models import IMPLICIT_COURSE_ID, Base, BigId, Timestamp

WAITING = "waiting"
CLAIMED = "claimed"
RESOLVED = "resolved"
OPEN_STATES = (WAITING, CLAIMED)


class HelpEntry(Base):
    """A student's raised hand in one exercise (a second `help` there updates it).

    `raised_at` is the server's receive time of the first `help`: a client clock cannot put a
    student ahead of the queue. `last_event_id` is the id of the latest event that changed the
    entry, so a live message of that event finds it. A hand the student lowers (`help_stop`) is
    resolved by the student themselves.
    """

    __tablename__ = "help_entries"
    __table_args__ = (
        Index("ix_help_entries_course_state", "course_id", "state", "raised_at"),
        Index("ix_help_entries_student_notebook", "student_id", "notebook_id", "state"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"))
    notebook_id: Mapped[int] = mapped_column(ForeignKey("notebooks.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), default=IMPLICIT_COURSE_ID
    )
    cell_id: Mapped[str | None] = mapped_column(String(128))
    message: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default=WAITING)
    raised_at: Mapped[datetime] = mapped_column(Timestamp)
    last_event_id: Mapped[str] = mapped_column(String(128))
    claimed_by: Mapped[str | None] = mapped_column(String(256))
    claimed_at: Mapped[datetime | None] = mapped_column(Timestamp)
    resolved_by: Mapped[str | None] = mapped_column(String(256))
    resolved_at: Mapped[datetime | None] = mapped_column(Timestamp)
