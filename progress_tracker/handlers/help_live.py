"""The live socket's help messages: `{"type": "help", "entry": {...}}` to staff in scope.

Sent outside the numbered feed (a dashboard reloads the queue after a reconnection), on every
raise and lowering (their stored events, looked up once the feed announces them, so every
collector process sends them) and on every claim and resolution (`help/notices.py`: made by
this process, or by another one through Redis, `help/relay.py`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from ..courses.scope import Scope
from ..help.hands import HAND_TYPES
from ..help.notices import notices_of
from ..help.queue import HelpQueue
from ..live.follower import Follower
from ..live.messages import LiveMessage

Send = Callable[[str], Any]


def help_frame(entry: dict[str, Any]) -> str:
    """The WebSocket text of a changed entry."""
    return json.dumps({"type": "help", "entry": entry})


class HelpFollower:
    """Tells one staff socket about the help queue entries of its scope that change.

    Fed the live messages by its socket's follower (`HelpAwareFollower`): a socket is one
    listener of the feed, whatever it sends.
    """

    def __init__(self, runtime: Any, scope: Scope, send: Send):
        self.scope = scope
        self._send = send
        self._queue = HelpQueue(runtime.engine) if runtime.engine is not None else None
        self._tasks: set[asyncio.Task[None]] = set()
        self._stops = [notices_of(runtime).listen(self._tell)]

    def on_message(self, message: LiveMessage) -> None:
        """A feed message: look up the entries its hand events changed (few messages have any)."""
        if self._queue is None or '"eventType":"help' not in message.events:
            return
        for event in message.visible(self.scope):
            if event.get("eventType") in HAND_TYPES:
                task = asyncio.get_running_loop().create_task(
                    self._look_up(event["userId"], event["eventId"])
                )
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    async def _look_up(self, user_id: str, event_id: str) -> None:
        assert self._queue is not None
        entry = await self._queue.by_event(user_id, event_id)
        if entry is not None:
            self._tell(entry)

    def _tell(self, entry: dict[str, Any]) -> None:
        if self.scope.allows(entry["course"], entry["section"]):
            self._send(help_frame(entry))

    def stop(self) -> None:
        """Stop listening (the socket closed)."""
        for stop in self._stops:
            stop()
        self._stops = []
        for task in self._tasks:
            task.cancel()


class HelpAwareFollower(Follower):
    """A socket's follower that also hands each live message to the socket's help follower."""

    def __init__(self, *args: Any, help_follower: HelpFollower, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.help_follower = help_follower

    def on_message(self, message: LiveMessage) -> None:
        """Follow the message, then look up the hands it raised or lowered."""
        super().on_message(message)
        self.help_follower.on_message(message)
