"""Live messages: stored events cut into bounded, numbered pieces, each serialised once."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from ..courses.scope import Scope
from ..events import Event
from .subscription import Topic, topic_of


@dataclass(frozen=True)
class FeedPosition:
    """Where a feed is: its identity (new after a restart or loss) and its last sequence."""

    feed: str
    seq: int  # 0 before the first message


@dataclass(frozen=True)
class LiveMessage:
    """One numbered message of a feed: a JSON array of events of one topic, in wire form."""

    seq: int
    events: str
    topic: Topic | None = None  # None: events of any topic (a message of an older server)

    def frame(self, scope: Scope | None = None, prev: int | None = None) -> str:
        """The WebSocket text a dashboard of `scope` receives (None: everything).

        An unsubscribed dashboard of a scope gets every message, numbered as for everybody (so
        it can tell a gap from a message of other courses), holding only the events of its
        courses and sections. `prev` is the number of the previous message sent to a subscribed
        dashboard, which does not receive every message: it checks `prev` instead of counting
        (`docs/api.md`). Unscoped, the events are not parsed again.
        """
        head = f'{{"type":"events","seq":{self.seq}'
        if prev is not None:
            head += f',"prev":{prev}'
        if scope is None or scope.everything:
            return f'{head},"events":{self.events}}}'
        return f'{head},"events":{json.dumps(self.visible(scope))}}}'

    def visible(self, scope: Scope | None) -> list[dict[str, Any]]:
        """The events a dashboard of `scope` may read."""
        if scope is None or scope.everything:
            return self.parsed
        if self.topic is not None and not scope.allows_course(self.topic.course):
            return []  # the whole message is of a course out of scope: no need to parse it
        return [
            event
            for event in self.parsed
            if scope.allows(event.get("course"), event.get("section"))
        ]

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


def topic_payloads(events: Sequence[Event], max_bytes: int) -> list[tuple[Topic, str]]:
    """The events grouped by topic (in order of first appearance), each cut as `bounded_payloads`.

    Each message then holds one topic, so a subscription is checked once per message.
    """
    groups: dict[Topic, list[Event]] = {}
    for event in events:
        groups.setdefault(topic_of(event), []).append(event)
    return [
        (topic, payload)
        for topic, group in groups.items()
        for payload in bounded_payloads(group, max_bytes)
    ]


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
