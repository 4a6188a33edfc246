"""Recording dashboard reads in the audit log: who read which course's data, and when."""

from __future__ import annotations

from typing import Any

from ..privacy.attribution import DEFAULT_COURSE


def course_of_request(handler: Any) -> str:
    """The course a dashboard request reads (the implicit course when it names none)."""
    return handler.get_argument("course", None) or DEFAULT_COURSE


async def audit_access(handler: Any, action: str, target: str | None = None, **detail: Any) -> None:
    """Add the caller's read of `action` to the audit log (before the data is sent)."""
    privacy = handler.runtime.privacy
    if privacy is None:
        return
    await privacy.record(
        handler.caller.user_id,
        action,
        course_of_request(handler),
        target=target,
        detail={k: v for k, v in detail.items() if v is not None} or None,
    )
