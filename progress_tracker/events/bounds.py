"""Bounds on what an event may carry: long texts are truncated, stored events are trusted."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationInfo

TRUNCATION_MARK = "\u2026[truncated]"


@dataclass(frozen=True)
class TextLimits:
    """Longest accepted texts; longer free texts are truncated, longer identifiers rejected."""

    code_chars: int = 20_000
    result_chars: int = 2_000
    error_chars: int = 2_000
    metadata_bytes: int = 4_096


# Events read back from the queue were bounded when accepted; never truncate them again.
STORED_LIMITS = TextLimits(
    code_chars=2**31, result_chars=2**31, error_chars=2**31, metadata_bytes=2**31
)


TRUSTED = {"limits": STORED_LIMITS, "trusted": True}


def truncate(value: str | None, limit: int) -> str | None:
    """`value` without NUL and at most `limit` characters long (marked when cut)."""
    if value is not None and "\x00" in value:
        value = value.replace("\x00", "\ufffd")  # PostgreSQL text cannot hold NUL
    if value is None or len(value) <= limit:
        return value
    return value[: max(0, limit - len(TRUNCATION_MARK))] + TRUNCATION_MARK


def limits_of(info: ValidationInfo) -> TextLimits:
    """The limits a validation runs under (its context), or the defaults."""
    context = info.context or {}
    return context.get("limits") or TextLimits()
