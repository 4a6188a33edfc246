"""`c.EventQueue` and `c.StreamConsumer`: the Redis stream of a collector and its consumers."""

from __future__ import annotations

from dataclasses import dataclass

from traitlets import Float, Int, Unicode
from traitlets.config import Configurable


@dataclass(frozen=True)
class QueueSettings:
    """The Redis keys and bounds of the event stream."""

    key_prefix: str = "progress-tracker"
    max_entries: int = 1_000_000


@dataclass(frozen=True)
class ConsumerSettings:
    """How a sink consumer reads and retries."""

    batch_size: int = 2000
    block_ms: int = 1000
    claim_idle_ms: int = 30_000
    max_attempts: int = 5
    retry_backoff_s: float = 0.5
    max_backoff_s: float = 15.0

    @property
    def entries_per_read(self) -> int:
        """Stream entries read at once (an entry is one POSTed batch, often dozens of events)."""
        return max(1, self.batch_size // 50)


class EventQueue(Configurable):
    """The durable queue (a Redis stream) between the events endpoint and the sinks."""

    key_prefix = Unicode(
        "progress-tracker",
        config=True,
        help="Prefix of every Redis key (stream, dead letters, live channel) of this deployment.",
    )
    max_entries = Int(
        1_000_000,
        config=True,
        help="""Most unconsumed batches (one stream entry per accepted POST) the Redis stream
        holds; beyond it POSTs get 503 and browsers retry later (nothing is dropped). Entries every
        sink has consumed are trimmed.""",
    )

    def settings(self) -> QueueSettings:
        """The frozen settings."""
        return QueueSettings(key_prefix=self.key_prefix, max_entries=self.max_entries)


class StreamConsumer(Configurable):
    """The consumer each sink runs on the stream."""

    batch_size = Int(2000, config=True, help="Events a sink consumer writes per batch.")
    claim_idle_ms = Int(
        30_000,
        config=True,
        help="How long an entry read by a consumer may stay unacknowledged before another "
        "consumer reclaims it (the first is presumed dead).",
    )
    max_attempts = Int(
        5,
        config=True,
        help="Times a sink may reject an event as bad data before it goes to the dead letters.",
    )
    retry_backoff_s = Float(
        0.5, config=True, help="First wait after a failed write or read, in seconds."
    )
    max_backoff_s = Float(
        15.0, config=True, help="Longest wait between retries of a failing sink or queue."
    )

    def settings(self) -> ConsumerSettings:
        """The frozen settings."""
        return ConsumerSettings(
            batch_size=self.batch_size,
            claim_idle_ms=self.claim_idle_ms,
            max_attempts=self.max_attempts,
            retry_backoff_s=self.retry_backoff_s,
            max_backoff_s=self.max_backoff_s,
        )
