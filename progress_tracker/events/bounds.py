"""Bounds on what an event may carry, so that whatever is accepted can be stored everywhere.

Texts are cleaned of what no store can hold (NUL, lone surrogates) and long free texts are
truncated; metadata is bounded in depth and size and may hold only finite numbers; times are
bounded to what every store and query can represent. Stored events are trusted: never re-checked.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationInfo

TRUNCATION_MARK = "\u2026[truncated]"
REPLACEMENT = "\ufffd"
# PostgreSQL text cannot hold NUL; UTF-8 (Redis, PostgreSQL, InfluxDB) cannot hold a lone surrogate.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# The earliest eventTime accepted: Unix time 0 (InfluxDB timestamps and time buckets are
# counted from it); later than now + the allowed clock skew is clamped to the receive time.
EARLIEST_EVENT_TIME = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class EventLimits:
    """Longest texts (longer free texts are truncated), metadata bounds and clock tolerance."""

    code_chars: int = 20_000
    result_chars: int = 2_000
    error_chars: int = 2_000
    metadata_bytes: int = 4_096
    metadata_depth: int = 10
    future_skew_s: float = 300.0


# Events read back from the queue were bounded when accepted; never truncate them again.
STORED_LIMITS = EventLimits(
    code_chars=2**31,
    result_chars=2**31,
    error_chars=2**31,
    metadata_bytes=2**31,
    metadata_depth=2**31,
)


TRUSTED = {"limits": STORED_LIMITS, "trusted": True}


def clean(value: str) -> str:
    """`value` with every character that some store cannot hold replaced by U+FFFD."""
    return _UNSTORABLE.sub(REPLACEMENT, value)


def has_unstorable(value: str) -> bool:
    """Whether `value` holds a character that some store cannot hold."""
    return _UNSTORABLE.search(value) is not None


def truncate(value: str | None, limit: int) -> str | None:
    """`value` cleaned and at most `limit` characters long (marked when cut)."""
    if value is None:
        return None
    if has_unstorable(value):
        value = clean(value)
    if len(value) <= limit:
        return value
    return value[: max(0, limit - len(TRUNCATION_MARK))] + TRUNCATION_MARK


def clean_json(value: Any, max_depth: int) -> Any:
    """A JSON value with its strings (keys too) cleaned; ValueError when too deep or not finite."""
    return _walk(value, max_depth=max_depth, finite=True)


def clean_strings(value: Any) -> Any:
    """A decoded JSON body with every string (keys too) cleaned, however deep."""
    return _walk(value, max_depth=None, finite=False)


def _walk(value: Any, *, max_depth: int | None, finite: bool) -> Any:
    """Clean the strings of a JSON value, with an explicit stack: a hostile value must not
    exhaust the interpreter's recursion."""
    root: list[Any] = [value]
    stack: list[tuple[Any, Any, int]] = [(root, 0, 0)]  # (container, key in it, depth)
    while stack:
        container, key, depth = stack.pop()
        item = container[key]
        if isinstance(item, str):
            container[key] = clean(item)
        elif finite and isinstance(item, float) and not math.isfinite(item):
            raise ValueError("numbers in metadata must be finite (no NaN or Infinity)")
        elif isinstance(item, dict | list):
            if max_depth is not None and depth >= max_depth:
                raise ValueError(f"metadata is nested more than {max_depth} levels deep")
            if isinstance(item, dict):
                item = {clean(str(k)): v for k, v in item.items()}
                container[key] = item
                stack += [(item, k, depth + 1) for k in item]
            else:
                item = list(item)
                container[key] = item
                stack += [(item, i, depth + 1) for i in range(len(item))]
    return root[0]


def limits_of(info: ValidationInfo) -> EventLimits:
    """The limits a validation runs under (its context), or the defaults."""
    context = info.context or {}
    return context.get("limits") or EventLimits()


def is_trusted(info: ValidationInfo) -> bool:
    """Whether the event is read back from this server's own queue or store."""
    return bool((info.context or {}).get("trusted"))
