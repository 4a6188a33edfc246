"""Live messages: stored events cut into bounded, numbered pieces, each serialised once."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from ..courses.scope import Scope
from ..events import Event


@dataclass(frozen=True)
class FeedPosition:
    """Where a feed is: its identity (new after a restart or loss) and its last sequence."""

    feed: str
    seq: int  # 0 before the first message


@dataclass(frozen=True)
class LiveMessage:
    """One numbered message of a feed: a JSON array of events in wire form."""

    seq: int
    events: str

    def frame(self, scope: Scope | None = None) -> str:
        """The WebSocket text a dashboard of `scope` receives (None: everything).

        A scoped dashboard gets every message, numbered as for everybody (so it can tell a gap
        from a message of other courses), holding only the events of its courses and sections.
        """
        if scope is None or scope.everything:
            return f'{{"type":"events","seq":{self.seq},"events":{self.events}}}'
        kept = [
            event
            for event in self.parsed
            if scope.allows(event.get("course"), event.get("section"))
        ]
        return json.dumps({"type": "events", "seq": self.seq, "events": kept})

    @cached_property
    def parsed(self) -> list[dict[str, Any]]:
        """The events, parsed once for every scoped dashboard following this message."""
        return json.loads(self.events)


class Subscriber(Protocol):
    """What a feed delivers to: every message in order, or a reset when it cannot."""

    def on_message(self, message: LiveMessage) -> None: ...

    def on_reset(self, reason: str) -> None: ...


def bounded_payloads(events: Sequence[Event], max_bytes: int) -> list[str]:
    """The events as JSON arrays of at most `max_bytes` each (a larger event goes alone)."""
    payloads: list[str] = []
    current: list[str] = []
    size = 2  # the brackets
    for event in events:
        text = event.to_json()
        length = len(text.encode()) + 1
        if current and size + length > max_bytes:
            payloads.append(f"[{','.join(current)}]")
            current, size = [], 2
        current.append(text)
        size += length
    if current:
        payloads.append(f"[{','.join(current)}]")
    return payloads


def replay_after(
    after: FeedPosition, head: FeedPosition, kept: Sequence[LiveMessage]
) -> list[LiveMessage] | None:
    """The kept messages that follow `after`; None when they cannot all be given.

    None means the dashboard must reload its snapshot: `after` belongs to another feed (a
    restart or a loss), lies in the future, or some messages after it are no longer kept.
    """
    if after.feed != head.feed or after.seq > head.seq:
        return None
    wanted = [message for message in kept if after.seq < message.seq <= head.seq]
    if after.seq == head.seq:
        return []
    if not wanted or wanted[0].seq != after.seq + 1 or wanted[-1].seq != head.seq:
        return None
    return wanted


def control(kind: str, **fields: Any) -> str:
    """A WebSocket text of a control message (`caught_up`, `resync`)."""
    return json.dumps({"type": kind, **fields})
