"""The live feed shared by collector processes: a capped Redis Stream of numbered messages.

Each message is an entry whose id is `<seq>-0`, `seq` one more than the previous message's
(assigned atomically in Redis, whichever collector publishes). Every process follows the stream
from its last id and hands each message to its own dashboards; a dashboard that reconnects is
replayed the messages it missed straight from the stream. The feed's identity lives in its own
key: when Redis loses the stream (a restart without persistence), the identity changes and
every dashboard reloads its snapshot instead of missing events silently.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from .. import metrics
from ..config.dashboard import DashboardSettings
from ..events import Event
from ..retry import Backoff, Retrying
from ..tasks import pause, raise_if_cancelled
from .feed import FeedUnavailable, LiveFeed
from .messages import FeedPosition, LiveMessage, replay_after
from .subscription import Topic

if TYPE_CHECKING:
    from ..tasks import BackgroundTasks

log = logging.getLogger(__name__)

# KEYS: stream, identity; ARGV: max length, identity to take if there is none, then per message
# its topic (notebook, assignment, course; empty strings for none) and its payload.
# Answers {identity, first sequence, last sequence}; without payloads it only reads the head.
PUBLISH = """
local feed = redis.call('GET', KEYS[2])
local seq = 0
local info = redis.pcall('XINFO', 'STREAM', KEYS[1])
if type(info) == 'table' and not info.err then
  for i = 1, #info, 2 do
    if info[i] == 'last-generated-id' then
      seq = tonumber(string.match(info[i + 1], '^(%d+)'))
    end
  end
else
  feed = nil
end
if not feed then
  -- a new feed (or its stream was lost): a new identity and an empty stream, from 0
  feed = ARGV[2]
  seq = 0
  redis.call('SET', KEYS[2], feed)
  redis.call('DEL', KEYS[1])
  redis.call('XGROUP', 'CREATE', KEYS[1], 'init', '$', 'MKSTREAM')
  redis.call('XGROUP', 'DESTROY', KEYS[1], 'init')
end
local first = seq + 1
for i = 3, #ARGV, 4 do
  seq = seq + 1
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], seq .. '-0', 'feed', feed,
    'notebook', ARGV[i], 'assignment', ARGV[i + 1], 'course', ARGV[i + 2], 'events', ARGV[i + 3])
end
return {feed, first, seq}
"""


class RedisLiveFeed(LiveFeed):
    """Publishes numbered messages to a Redis Stream and follows it for this process."""

    def __init__(
        self,
        redis: Redis,
        stream_key: str,
        identity_key: str,
        settings: DashboardSettings | None = None,
        *,
        block_ms: int = 1000,
        backoff: Backoff | None = None,
    ):
        super().__init__(settings)
        self.redis = redis
        self.stream_key = stream_key
        self.identity_key = identity_key
        self.block_ms = block_ms
        self.backoff = backoff or Backoff()
        self._script = redis.register_script(PUBLISH)
        self._following = asyncio.Event()
        self._checked_at = 0.0

    async def _run(self, payloads: Sequence[tuple[Topic, str]]) -> tuple[str, int, int]:
        messages = [part for topic, payload in payloads for part in (*topic.fields(), payload)]
        feed, first, last = await self._script(
            keys=[self.stream_key, self.identity_key],
            args=[self.settings.replay_limit, uuid.uuid4().hex, *messages],
        )
        return _text(feed), int(first), int(last)

    async def publish(self, events: Sequence[Event]) -> None:
        """Append the events as numbered messages; raises RedisError when Redis is unreachable.

        The caller (the database consumer) retries: a batch is acknowledged only once its
        events are on the feed, so nothing stored is ever left unannounced.
        """
        payloads = self.payloads(events)
        if not payloads:
            return
        try:
            await self._run(payloads)
        except (RedisError, OSError):
            metrics.LIVE_PUBLISH_FAILURES.inc()
            raise

    async def head(self) -> FeedPosition:
        """The feed's identity and last sequence (the identity is created if there is none)."""
        try:
            feed, _, last = await self._run([])
        except (RedisError, OSError) as err:
            raise FeedUnavailable(f"{type(err).__name__}: {err}") from err
        return FeedPosition(feed, last)

    async def replay(self, after: FeedPosition) -> list[LiveMessage] | None:
        """The messages after `after`, read from the stream (None: reload the snapshot)."""
        try:
            head = await self.head()
            if after.feed != head.feed or after.seq >= head.seq:
                return replay_after(after, head, [])
            entries = await self.redis.xrange(
                self.stream_key,
                min=f"{after.seq + 1}-0",
                max=f"{head.seq}-0",
                count=self.settings.replay_limit,
            )
        except (RedisError, OSError) as err:
            raise FeedUnavailable(f"{type(err).__name__}: {err}") from err
        kept = [
            _message(entry_id, fields)
            for entry_id, fields in entries
            if _text(fields.get(b"feed", b"")) == head.feed
        ]
        return replay_after(after, head, kept)

    async def start(self, tasks: BackgroundTasks) -> None:
        """Follow the stream in the background (from its current head)."""
        tasks.supervise(self._follow_forever, name="progress-tracker-live-follow")
        try:
            await asyncio.wait_for(self._following.wait(), timeout=2)
        except TimeoutError:
            log.warning("progress_tracker: not following the live feed yet; retrying")

    async def _follow_forever(self) -> None:
        retrying = Retrying(self.backoff)
        position: FeedPosition | None = None
        while True:
            raise_if_cancelled()
            try:
                if position is None:
                    position = await self.head()
                    self._following.set()
                position = await self._follow_once(position)
                retrying.succeeded()
            except asyncio.CancelledError:
                raise
            except (FeedUnavailable, RedisError, OSError) as err:
                log.warning("progress_tracker: live feed unreachable (%s); retrying", err)
                await pause(retrying.failed())

    async def _follow_once(self, position: FeedPosition) -> FeedPosition:
        """Deliver what follows `position` (waiting up to block_ms); the new position."""
        response = await self.redis.xread(
            {self.stream_key: f"{position.seq}-0"}, count=100, block=self.block_ms
        )
        if not response or time.monotonic() - self._checked_at > self.block_ms / 1000:
            # A feed started again from 0 has nothing after our position: ask for its head.
            self._checked_at = time.monotonic()
            head = await self.head()
            if head.feed != position.feed or head.seq < position.seq:
                self.reset("the live feed was lost and started again (Redis lost its data)")
                return head
        if not response:
            return position
        [(_, entries)] = response
        for entry_id, fields in entries:
            message = _message(entry_id, fields)
            feed = _text(fields.get(b"feed", b""))
            if feed != position.feed:
                self.reset("the live feed was lost and started again (Redis lost its data)")
            elif message.seq != position.seq + 1:
                self.reset(f"live messages {position.seq + 1}-{message.seq - 1} were missed")
            position = FeedPosition(feed, message.seq)
            self.deliver(message)
        return position


def _message(entry_id: Any, fields: dict[bytes, bytes]) -> LiveMessage:
    seq = int(_text(entry_id).partition("-")[0])
    topic = None
    if b"notebook" in fields:
        topic = Topic.from_fields(
            *(_text(fields.get(name, b"")) for name in (b"notebook", b"assignment", b"course"))
        )
    return LiveMessage(seq, _text(fields.get(b"events", b"[]")), topic)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
