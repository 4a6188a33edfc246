"""`c.EventQueue` and `c.StreamConsumer`: the Redis stream of a collector and its consumers."""

from __future__ import annotations

from dataclasses import dataclass

from traitlets import Bool, Float, Int, Unicode
from traitlets.config import Configurable

from ..retry import Backoff


@dataclass(frozen=True)
class QueueSettings:
    """The Redis keys, bounds and durability requirements of the event stream."""

    key_prefix: str = "progress-tracker"
    max_entries: int = 1_000_000
    max_bytes: int = 1024**3
    allow_volatile: bool = False
    wait_for_fsync: bool = False
    fsync_timeout_ms: int = 1000
    durability_check_interval_s: float = 10.0


@dataclass(frozen=True)
class ConsumerSettings:
    """How a sink consumer reads, retries and proves it is alive."""

    batch_size: int = 2000
    block_ms: int = 1000
    claim_idle_ms: int = 30_000
    max_attempts: int = 5
    retry_backoff_s: float = 0.1
    max_backoff_s: float = 2.0
    heartbeat_interval_s: float = 1.0
    heartbeat_timeout_s: float = 5.0
    write_timeout_s: float = 60.0
    database_writers: int = 2

    @property
    def entries_per_read(self) -> int:
        """Stream entries read at once (an entry is one POSTed batch, often dozens of events)."""
        return max(1, self.batch_size // 50)

    @property
    def backoff(self) -> Backoff:
        """The retry policy of every failing read, write and acknowledgement."""
        return Backoff(initial_s=self.retry_backoff_s, cap_s=self.max_backoff_s)


class EventQueue(Configurable):
    """The durable queue (a Redis stream) between the events endpoint and the sinks."""

    key_prefix = Unicode(
        "progress-tracker",
        config=True,
        help="Prefix of every Redis key (stream, dead letters, live feed) of this deployment.",
    )
    max_entries = Int(
        1_000_000,
        config=True,
        help="""Most unconsumed batches (one stream entry per accepted POST) the Redis stream
        holds; beyond it POSTs get 503 and browsers retry later (nothing is dropped). Entries every
        sink has consumed are trimmed.""",
    )
    max_bytes = Int(
        1024**3,
        config=True,
        help="""Most bytes of unconsumed batches the Redis stream holds (their JSON), whatever
        their number; beyond it POSTs get 503 and browsers retry later. Size Redis's memory for it.""",
    )
    allow_volatile = Bool(
        False,
        config=True,
        help="""Accept a Redis that does not persist its data (no AOF). By default the collector
        refuses to start on one, because a Redis restart would lose every event that was answered
        202 but not yet stored. With this set it starts, and health and /metrics say the queue is
        volatile.""",
    )
    wait_for_fsync = Bool(
        False,
        config=True,
        help="""Answer 202 only once Redis has fsynced the batch to its AOF (WAITAOF, Redis 7.2
        or later), so that not even a power loss of the Redis host loses it. Without it, a Redis
        crash loses nothing, a crash of its host up to one second (appendfsync everysec).""",
    )
    fsync_timeout_ms = Int(
        1000,
        config=True,
        help="How long a POST waits for the fsync (wait_for_fsync) before answering 503.",
    )
    durability_check_interval_s = Float(
        10.0,
        config=True,
        help="Seconds between checks that Redis still persists (AOF on) while the collector runs.",
    )

    def settings(self) -> QueueSettings:
        """The frozen settings."""
        return QueueSettings(
            key_prefix=self.key_prefix,
            max_entries=self.max_entries,
            max_bytes=self.max_bytes,
            allow_volatile=self.allow_volatile,
            wait_for_fsync=self.wait_for_fsync,
            fsync_timeout_ms=self.fsync_timeout_ms,
            durability_check_interval_s=self.durability_check_interval_s,
        )


class StreamConsumer(Configurable):
    """The consumer each sink runs on the stream."""

    batch_size = Int(2000, config=True, help="Events a sink consumer writes per batch.")
    claim_idle_ms = Int(
        30_000,
        config=True,
        help="""How long an entry may stay unacknowledged by a consumer that still sends its
        heartbeat before another consumer takes it over (a consumer that stopped its heartbeat
        loses its entries after heartbeat_timeout_s).""",
    )
    max_attempts = Int(
        5,
        config=True,
        help="""Rounds an event may fail alone, while no other event proves the sink works, before
        it goes to the dead letters. An event that fails alone while others are stored is a dead
        letter at once; errors that hit every event (connection, permissions, read-only, disk
        full) are outages, retried without limit, never dead letters.""",
    )
    retry_backoff_s = Float(
        0.1, config=True, help="First wait after a failed write or read, in seconds."
    )
    max_backoff_s = Float(
        2.0, config=True, help="Longest wait between retries of a failing sink or queue."
    )
    heartbeat_interval_s = Float(
        1.0, config=True, help="Seconds between the heartbeats each consumer writes to Redis."
    )
    heartbeat_timeout_s = Float(
        5.0,
        config=True,
        help="""A consumer whose heartbeat is older than this is dead: its unacknowledged entries
        are taken over by a live consumer, and it is removed from its group.""",
    )
    write_timeout_s = Float(
        60.0,
        config=True,
        help="Longest a sink may take to write one batch; a slower write is retried as an outage.",
    )

    database_writers = Int(
        2,
        config=True,
        help="""Batches this collector writes to PostgreSQL at once (a consumer each, in the
        database's one consumer group): while one waits for the database another prepares its
        rows, so that one process keeps both its own core and the database's busy. SQLite takes
        one writer at a time: there it is always 1.""",
    )

    def settings(self) -> ConsumerSettings:
        """The frozen settings."""
        return ConsumerSettings(
            database_writers=max(1, self.database_writers),
            batch_size=self.batch_size,
            claim_idle_ms=self.claim_idle_ms,
            max_attempts=self.max_attempts,
            retry_backoff_s=self.retry_backoff_s,
            max_backoff_s=self.max_backoff_s,
            heartbeat_interval_s=self.heartbeat_interval_s,
            heartbeat_timeout_s=self.heartbeat_timeout_s,
            write_timeout_s=self.write_timeout_s,
        )
