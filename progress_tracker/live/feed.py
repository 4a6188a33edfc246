"""The in-process live feed: numbered messages of stored events, for this server's dashboards.

Every message has a sequence number, one more than the previous one, so a dashboard sees a gap
at once. The last `replay_limit` messages are kept for dashboards that reconnect; a dashboard
further behind, or one that knew another feed (this process restarted), reloads its snapshot.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..config.dashboard import DashboardSettings
from ..events import Event
from .messages import FeedPosition, LiveMessage, Subscriber, replay_after, topic_payloads
from .subscription import Topic

if TYPE_CHECKING:
    from ..tasks import BackgroundTasks

log = logging.getLogger(__name__)


class FeedUnavailable(Exception):
    """The feed cannot be read now (its Redis is unreachable); try again later."""


class LiveFeed:
    """Delivers every stored event to each subscriber, in numbered messages, in order."""

    def __init__(self, settings: DashboardSettings | None = None) -> None:
        self.settings = settings or DashboardSettings()
        self._subscribers: set[Subscriber] = set()
        self._feed = uuid.uuid4().hex
        self._seq = 0
        self._kept: deque[LiveMessage] = deque(maxlen=max(1, self.settings.replay_limit))

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Add a subscriber; returns the function that removes it."""
        self._subscribers.add(subscriber)
        return lambda: self._subscribers.discard(subscriber)

    @property
    def listener_count(self) -> int:
        """How many dashboards follow the feed in this process."""
        return len(self._subscribers)

    def deliver(self, message: LiveMessage) -> None:
        """Hand a message to every local subscriber; a failing one never stops the rest."""
        for subscriber in list(self._subscribers):
            try:
                subscriber.on_message(message)
            except Exception:
                log.exception("progress_tracker: a live subscriber failed; removing it")
                self._subscribers.discard(subscriber)

    def reset(self, reason: str) -> None:
        """Tell every subscriber that messages were missed (they reload their snapshot)."""
        log.warning("progress_tracker: live dashboards must reload: %s", reason)
        for subscriber in list(self._subscribers):
            try:
                subscriber.on_reset(reason)
            except Exception:
                log.exception("progress_tracker: a live subscriber failed; removing it")
                self._subscribers.discard(subscriber)

    def payloads(self, events: Sequence[Event]) -> list[tuple[Topic, str]]:
        """The events cut into message payloads of one topic and bounded size."""
        return topic_payloads(events, self.settings.live_message_bytes)

    async def publish(self, events: Sequence[Event]) -> None:
        """Announce stored events, in as many numbered messages as their topics and size need."""
        for topic, payload in self.payloads(events):
            self._seq += 1
            message = LiveMessage(self._seq, payload, topic)
            self._kept.append(message)
            self.deliver(message)

    def forget(self, user_id: str) -> int:
        """Drop `user_id`'s events from the messages kept for replay (a student's erasure).

        Numbers stay as they were, so a dashboard replayed from here sees no gap.
        """
        removed = 0
        for index, message in enumerate(self._kept):
            events = json.loads(message.events)
            kept = [event for event in events if event.get("userId") != user_id]
            if len(kept) != len(events):
                removed += len(events) - len(kept)
                payload = json.dumps(kept, separators=(",", ":"))
                self._kept[index] = LiveMessage(message.seq, payload, message.topic)
        return removed

    async def head(self) -> FeedPosition:
        """The feed's identity and its last sequence number."""
        return FeedPosition(self._feed, self._seq)

    async def replay(self, after: FeedPosition) -> list[LiveMessage] | None:
        """The messages that followed `after`, or None when the dashboard must reload."""
        return replay_after(after, await self.head(), self._kept)

    async def start(self, tasks: BackgroundTasks) -> None:
        """Nothing to start in-process."""

    async def stop(self) -> None:
        """Forget every subscriber."""
        self._subscribers.clear()
