"""One dashboard following the live feed: the messages it missed, then every new one, in order.

The protocol a dashboard sees (`docs/api.md`):
- `{"type": "events", "seq": n, "events": [...]}`: message n of the feed, n one more than the
  previous one (a dashboard that sees another number has missed something and reconnects);
  a subscribed dashboard (`subscription.py`) gets only its topics' messages, each with
  `"prev": p`, the number of the message (or `caught_up`) sent to it before;
- `{"type": "caught_up", "feed": f, "seq": n}`: everything up to n was sent, live from here;
- `{"type": "resync", "reason": ...}`: messages cannot be given (another feed, too far behind,
  too slow to read them): reload the snapshot, then follow from the position it carries.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from ..courses.scope import Scope
from .feed import LiveFeed
from .messages import FeedPosition, LiveMessage, control
from .subscription import Subscription

log = logging.getLogger(__name__)

Send = Callable[[str], "Awaitable[Any] | None"]


class SocketClosed(Exception):
    """The dashboard's socket is gone (raised by a `Send`)."""


class Follower:
    """Feeds one socket: replay from its position, then each message once, within a backlog."""

    def __init__(
        self,
        feed: LiveFeed,
        send: Send,
        *,
        backlog_bytes: int,
        scope: Scope | None = None,
        subscription: Subscription | None = None,
    ):
        self.feed = feed
        self.scope = scope  # None: every event; else only those of the caller's courses
        self.subscription = subscription or Subscription()
        self._sent: int | None = None  # the last number sent to a subscribed dashboard
        self.backlog_bytes = backlog_bytes
        self._send = send
        self._unsubscribe: Callable[[], None] | None = None
        self._last: int | None = None  # None while the replay is being sent
        self._held: list[LiveMessage] = []
        self._unsent = 0
        self.resynced: str | None = None

    async def start(self, after: FeedPosition | None) -> None:
        """Subscribe, send what followed `after` (or nothing: live from now), then go live."""
        self._unsubscribe = self.feed.subscribe(self)
        head = await self.feed.head()
        if after is None:
            last = head.seq
        else:
            replay = await self.feed.replay(after)
            if replay is None:
                self._resync(_why_not(after, head))
                return
            self._sent = after.seq
            for message in replay:
                self._send_message(message)
            last = replay[-1].seq if replay else after.seq
        self._last = self._sent = last
        self._write(control("caught_up", feed=head.feed, seq=last))
        held, self._held = self._held, []
        for message in held:
            self.on_message(message)

    def on_message(self, message: LiveMessage) -> None:
        """A new message of the feed (called in feed order)."""
        if self.resynced is not None:
            return
        if self._last is None:
            self._held.append(message)
        elif message.seq <= self._last:
            return  # sent with the replay already
        elif message.seq != self._last + 1:
            self._resync(f"live messages {self._last + 1}-{message.seq - 1} were missed")
        elif self._unsent > self.backlog_bytes:
            self._resync("this dashboard fell behind the live feed")
        else:
            self._last = message.seq
            self._send_message(message)

    def _send_message(self, message: LiveMessage) -> None:
        """Send a message of the feed, if the subscription admits its topic.

        Unsubscribed, every message goes (with only the events in scope); subscribed, only the
        messages of its topics holding something in scope, each with the number sent before.
        """
        if not self.subscription.filters:
            self._write(message.frame(self.scope))
        elif self.subscription.admits(message.topic) and message.visible(self.scope):
            self._write(message.frame(self.scope, prev=self._sent))
            self._sent = message.seq

    def on_reset(self, reason: str) -> None:
        """The feed lost messages: this dashboard must reload its snapshot."""
        self._resync(reason)

    def _resync(self, reason: str) -> None:
        if self.resynced is None:
            self.resynced = reason
            self.stop()
            self._write(control("resync", reason=reason))

    def _write(self, text: str) -> None:
        try:
            sent = self._send(text)
        except SocketClosed:
            log.debug("progress_tracker: a live socket went away")
            self.stop()
            return
        if sent is None:
            return
        size = len(text)
        self._unsent += size

        def written(future: Any) -> None:
            self._unsent -= size
            if not future.cancelled() and future.exception() is not None:
                self.stop()

        sent.add_done_callback(written)  # type: ignore[union-attr]

    @property
    def unsent_bytes(self) -> int:
        """Bytes handed to the socket that it has not written out yet."""
        return self._unsent

    def stop(self) -> None:
        """Stop following (the socket closed or resynchronises)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


def _why_not(after: FeedPosition, head: FeedPosition) -> str:
    if after.feed != head.feed:
        return "the live feed started again since this dashboard's snapshot"
    if after.seq > head.seq:
        return "this dashboard is ahead of the live feed"
    return "this dashboard is further behind than the live feed keeps"
