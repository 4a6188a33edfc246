"""In-process fan-out of persisted events to the dashboards connected to this server."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..events import Event

if TYPE_CHECKING:
    from ..tasks import BackgroundTasks

WireEvent = dict[str, Any]
Listener = Callable[[Sequence[WireEvent]], None]
log = logging.getLogger(__name__)


class LiveFeed:
    """Delivers every persisted event to each subscribed listener, in persistence order."""

    def __init__(self) -> None:
        self._listeners: set[Listener] = set()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add a listener; returns the function that removes it."""
        self._listeners.add(listener)
        return lambda: self._listeners.discard(listener)

    @property
    def listener_count(self) -> int:
        """How many dashboards listen in this process."""
        return len(self._listeners)

    def deliver(self, events: Sequence[WireEvent]) -> None:
        """Hand events (wire form) to every local listener; a failing one never stops the rest."""
        if not events:
            return
        for listener in list(self._listeners):
            try:
                listener(events)
            except Exception:
                log.exception("A live listener failed; removing it")
                self._listeners.discard(listener)

    async def publish(self, events: Sequence[Event]) -> None:
        """Announce newly persisted events (to this process only)."""
        self.deliver([event.to_wire() for event in events])

    async def start(self, tasks: BackgroundTasks) -> None:
        """Nothing to start in-process."""

    async def stop(self) -> None:
        """Forget every listener."""
        self._listeners.clear()
