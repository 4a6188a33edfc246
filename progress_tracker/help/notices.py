"""Changes of the help queue, told to this server's live sockets (and, with Redis, to the
other collector processes').

A hand raised or lowered is a stored event: the live feed carries it to every collector process,
and each socket looks its entry up (`handlers/help_live.py`). A claim or a resolution is made by
a handler of one process and told here: to that process's sockets at once, and to the relay
(`relay.py`, with Redis) that publishes it for the other processes' sockets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Listener = Callable[[dict[str, Any]], None]


class HelpNotices:
    """Listeners of one server's help queue changes, each handed every changed entry."""

    def __init__(self) -> None:
        self._listeners: set[Listener] = set()
        # Hands each change made here to the other processes (never waits, never raises).
        self.relay: Listener | None = None

    def listen(self, listener: Listener) -> Callable[[], None]:
        """Add a listener; returns the function that removes it."""
        self._listeners.add(listener)
        return lambda: self._listeners.discard(listener)

    def tell(self, entry: dict[str, Any]) -> None:
        """A change made by this process: to its listeners, then to the other processes."""
        self.deliver(entry)
        if self.relay is not None:
            self.relay(entry)

    def deliver(self, entry: dict[str, Any]) -> None:
        """Hand `entry` to every listener of this process; a failing one never stops the rest."""
        for listener in list(self._listeners):
            try:
                listener(entry)
            except Exception:
                log.exception("progress_tracker: a help listener failed; removing it")
                self._listeners.discard(listener)


def notices_of(runtime: Any) -> HelpNotices:
    """The runtime's help notices, created with the first use."""
    notices = getattr(runtime, "help_notices", None)
    if notices is None:
        notices = runtime.help_notices = HelpNotices()
    return notices
