"""Sinks: the stores that events are persisted to, each behind the same small protocol."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..events import Event


class SinkError(Exception):
    """A batch a sink could not persist.

    `retryable` tells the caller whether the same batch may succeed later (server down,
    overloaded, timed out) or will fail again (rejected as bad data, wrong database or
    credentials) and belongs in the dead letter.
    """

    def __init__(self, message: str, *, retryable: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.status = status


class Sink(Protocol):
    """A store the events are persisted to; `write` may return the events that were new."""

    name: str

    async def write(self, events: Sequence[Event]) -> Any: ...

    async def close(self) -> None: ...
