"""A consumer per sink: read the stream in batches, persist, acknowledge, retry, dead-letter."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from redis.exceptions import RedisError

from .. import metrics
from ..config.queue import ConsumerSettings
from ..events import Event
from ..retry import Backoff, Retrying
from ..sinks import Sink, SinkError
from .stream import EventStream, decode_entry, raw_entry

log = logging.getLogger(__name__)


OnPersisted = Callable[[list[Event]], Awaitable[None]]


@dataclass
class ConsumerState:
    """What a consumer reports to the health endpoint."""

    persisted: int = 0
    dead_lettered: int = 0
    last_error: str | None = None
    last_error_at: float | None = None
    last_success_at: float | None = None
    failures: dict[str, int] = field(default_factory=dict)


def consumer_name() -> str:
    """A name unique to this process, so that a dead process's entries can be reclaimed."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class SinkConsumer:
    """Moves events from the stream into one sink, in its own consumer group."""

    def __init__(
        self,
        stream: EventStream,
        sink: Sink,
        settings: ConsumerSettings,
        *,
        on_persisted: OnPersisted | None = None,
        name: str | None = None,
    ):
        self.stream = stream
        self.sink = sink
        self.settings = settings
        self.on_persisted = on_persisted
        self.group = sink.name
        self.name = name or consumer_name()
        self.state = ConsumerState()
        self._last_claim = 0.0

    async def run(self) -> None:
        """Consume until cancelled; failures back off and retry, never end the loop."""
        retrying = Retrying(
            Backoff(initial_s=self.settings.retry_backoff_s, cap_s=self.settings.max_backoff_s)
        )
        group_ready = False
        while True:
            try:
                if not group_ready:
                    await self.stream.ensure_group(self.group)
                    group_ready = True
                worked = await self.step()
                retrying.succeeded()
                if not worked:
                    await asyncio.sleep(0)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as err:
                self._note_error(f"queue: {type(err).__name__}: {err}")
                await asyncio.sleep(retrying.failed())
            except _SinkUnavailable:
                await asyncio.sleep(retrying.failed())

    async def step(self) -> bool:
        """Handle one batch: own pending entries first, then reclaimed, then new ones."""
        entries = await self._read(pending=True)
        if not entries and time.monotonic() - self._last_claim > self.settings.claim_idle_ms / 4000:
            self._last_claim = time.monotonic()
            entries = await self._reclaim()
        if not entries:
            entries = await self._read(pending=False)
        if not entries:
            return False
        await self._handle(entries)
        return True

    async def _read(self, *, pending: bool) -> list[tuple[str, dict[bytes, bytes]]]:
        response = await self.stream.redis.xreadgroup(
            self.group,
            self.name,
            {self.stream.keys.events: "0" if pending else ">"},
            count=self.settings.entries_per_read,
            block=None if pending else self.settings.block_ms,
        )
        if not response:
            return []
        [(_, entries)] = response
        return [(_text(i), fields) for i, fields in entries if fields]

    async def _reclaim(self) -> list[tuple[str, dict[bytes, bytes]]]:
        """Take over entries another consumer read but never acknowledged (it died)."""
        result = await self.stream.redis.xautoclaim(
            self.stream.keys.events,
            self.group,
            self.name,
            min_idle_time=self.settings.claim_idle_ms,
            start_id="0-0",
            count=self.settings.entries_per_read,
        )
        claimed = result[1] if result else []
        entries = [(_text(i), fields) for i, fields in claimed if fields]
        if entries:
            log.info("%s: reclaimed %d entries of a stopped consumer", self.group, len(entries))
        return entries

    async def _handle(self, entries: list[tuple[str, dict[bytes, bytes]]]) -> None:
        units: list[tuple[str, Event]] = []
        for entry_id, fields in entries:
            try:
                events = decode_entry(fields)
            except (ValidationError, ValueError, TypeError) as err:
                await self._dead_letter(entry_id, raw_entry(fields), f"unreadable entry: {err}")
                await self._ack([entry_id])
                continue
            units += [(entry_id, event) for event in events]
            if not events:
                await self._ack([entry_id])
        if units:
            await self._persist(units)

    async def _persist(self, units: list[tuple[str, Event]]) -> None:
        """Write the events of some entries, then acknowledge the entries."""
        started = time.perf_counter()
        try:
            result = list(await self.sink.write([event for _, event in units]) or [])
        except SinkError as err:
            if err.retryable:
                self._note_error(str(err))
                raise _SinkUnavailable from err
            result = await self._isolate(units, err)
        metrics.SINK_BATCH_SECONDS.labels(self.group).observe(time.perf_counter() - started)
        await self._ack(list(dict.fromkeys(entry_id for entry_id, _ in units)))
        self.state.persisted += len(units)
        self.state.last_success_at = time.time()
        metrics.EVENTS_PERSISTED.labels(self.group).inc(len(units))
        if self.on_persisted is not None and result:
            await self.on_persisted(result)

    async def _isolate(self, units: list[tuple[str, Event]], err: SinkError) -> list[Event]:
        """Some event is rejected as bad data: write the others one by one.

        A rejected event is retried (with the whole set, nothing acknowledged meanwhile) until it
        has failed `max_attempts` times, then moved to the dead letters.
        """
        stored: list[Event] = []
        for entry_id, event in units:
            try:
                stored += list(await self.sink.write([event]) or [])
                self.state.failures.pop(event.event_id, None)
            except SinkError as single:
                if single.retryable:
                    self._note_error(str(single))
                    raise _SinkUnavailable from single
                if await self._retry_later(event.event_id, single):
                    self._note_error(str(single))
                    raise _SinkUnavailable from single
                await self._dead_letter(entry_id, event.to_json().encode(), str(single))
        return stored

    async def _ack(self, entry_ids: list[str]) -> None:
        if entry_ids:
            await self.stream.redis.xack(self.stream.keys.events, self.group, *entry_ids)

    async def _retry_later(self, event_id: str, err: SinkError) -> bool:
        """Count a rejection of one event; True while it still has attempts left."""
        failures = self.state.failures.get(event_id, 0) + 1
        self.state.failures[event_id] = failures
        if failures < self.settings.max_attempts:
            log.warning("%s: event %s rejected (%d): %s", self.group, event_id, failures, err)
            return True
        self.state.failures.pop(event_id, None)
        return False

    async def _dead_letter(self, entry_id: str, raw: bytes | None, error: str) -> None:
        await self.stream.dead.add(entry_id, raw, error, self.group)
        self.state.dead_lettered += 1
        metrics.EVENTS_DEAD_LETTERED.labels(self.group).inc()
        log.error("%s: entry %s moved to the dead letters: %s", self.group, entry_id, error)

    def _note_error(self, message: str) -> None:
        self.state.last_error = message[:500]
        self.state.last_error_at = time.time()
        log.warning("%s: %s", self.group, message)

    def report(self) -> dict[str, Any]:
        """Counters and the last error, for the health endpoint."""
        return {
            "persisted": self.state.persisted,
            "deadLettered": self.state.dead_lettered,
            "lastError": self.state.last_error,
            "lastErrorAt": self.state.last_error_at,
            "lastSuccessAt": self.state.last_success_at,
        }


class _SinkUnavailable(Exception):
    """The sink cannot take the batch now; back off and try the same entries again."""


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
