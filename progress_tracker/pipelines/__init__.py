"""How accepted events become durable: `direct` (embedded), `stream` (collector), `forward` (user server).

Every pipeline answers the same protocol, so the events handler never knows which one runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..events import Event
    from ..tasks import BackgroundTasks


class Pipeline(Protocol):
    """Takes accepted events; `accept` returns only once they are durable.

    `accept` raises `errors.Unavailable` (503) when nothing could be made durable now, and
    another `errors.TrackerError` when the batch itself is refused.
    """

    async def start(self, tasks: BackgroundTasks) -> None: ...

    # Returns how many of `events` the next stage did not keep (a forwarder's collector's
    # `ignored_count`), or None: all of them were kept.
    async def accept(self, events: Sequence[Event]) -> int | None: ...

    async def health(self) -> dict[str, Any]: ...

    async def stop(self) -> None: ...
