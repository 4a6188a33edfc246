"""The tables of the privacy stage: students' consent choices and the audit log.

Both are keyed by user name and course id (strings): a student may opt in before they ever sent
an event, and the log outlives any student row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..store.models import Base, BigId, Timestamp


class ConsentState(Base):
    """A student's consent choice in one course and when their capture plugin last reported."""

    __tablename__ = "consents"
    __table_args__ = (UniqueConstraint("course_id", "user_id", name="uq_consents_course_user"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    course_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(256), index=True)
    # True: agreed (or not opted out); False: refused or opted out; None: never chose.
    choice: Mapped[bool | None] = mapped_column(Boolean)
    chosen_at: Mapped[datetime | None] = mapped_column(Timestamp)
    # The capture plugin's last report, and whether it captured then (the dashboard's counts).
    seen_at: Mapped[datetime | None] = mapped_column(Timestamp)
    seen_capturing: Mapped[bool | None] = mapped_column(Boolean)


class AuditEntry(Base):
    """Someone read students' data: a dashboard, a timeline, an export, a subject request."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_course_at", "course_id", "at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(Timestamp)
    actor: Mapped[str] = mapped_column(String(256))
    action: Mapped[str] = mapped_column(String(32))
    course_id: Mapped[str | None] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(1024))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
