"""A consumer per sink: read the stream in batches, persist, announce, acknowledge; never stop.

- An outage (the sink or Redis down, permissions, read-only, disk full, a timeout) is retried
  with backoff, without limit; nothing is acknowledged meanwhile, nothing is dead-lettered.
- Any other failure, expected or not, isolates the failing events by bisection: the others are
  stored, and each event that fails alone while the sink demonstrably works (another event was
  stored, or the sink's probe write succeeds) goes to the dead letters, once.
- The database consumer announces every event of a committed batch (also those an earlier
  delivery stored) before acknowledging it, so a redelivered batch is never left unannounced.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import ValidationError
from redis.exceptions import RedisError, ResponseError

from .. import metrics
from ..config.queue import ConsumerSettings
from ..events import Event
from ..retry import Retrying
from ..sinks import Sink, SinkError
from ..tasks import pause, raise_if_cancelled
from .deadletters import DeadLetter
from .health import ConsumerState
from .isolation import Outage, Rejected, Suspects, Unit, attempt, bisect
from .membership import Membership
from .stream import EventStream, decode_entry, raw_entry

log = logging.getLogger(__name__)

OnPersisted = Callable[[list[Event]], Awaitable[None]]
OnLoss = Callable[[], Awaitable[object]]
Entry = tuple[str, dict[bytes, bytes]]


def consumer_name() -> str:
    """A name unique to this process, so that a dead process's entries can be reclaimed."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class _Retry(Exception):
    """Nothing was acknowledged; back off and handle the same entries again."""


class SinkConsumer:
    """Moves events from the stream into one sink, in its own consumer group."""

    def __init__(
        self,
        stream: EventStream,
        sink: Sink,
        settings: ConsumerSettings,
        *,
        on_persisted: OnPersisted | None = None,
        on_group_lost: OnLoss | None = None,
        name: str | None = None,
    ):
        self.stream = stream
        self.sink = sink
        self.settings = settings
        self.on_persisted = on_persisted
        self.on_group_lost = on_group_lost
        self.group = sink.name
        self.name = name or consumer_name()
        self.state = ConsumerState(self.group)
        self.membership = Membership(stream.redis, stream.keys, self.group, self.name, settings)
        self._group_ready = False
        self._with_company = False  # read new entries beside pending ones: proof for suspects
        self._suspects = Suspects()
        self._handling: list[Entry] = []

    async def run(self) -> None:
        """Consume until cancelled; every failure backs off and retries, nothing ends the loop."""
        log.info("%s: consumer %s started", self.group, self.name)
        retrying = Retrying(self.settings.backoff)
        while True:
            raise_if_cancelled()
            try:
                await self._ensure_group()
                worked = await self.step()
                retrying.succeeded()
                self.state.recovered()
                if not worked:
                    await asyncio.sleep(0)
                continue
            except asyncio.CancelledError:
                raise
            except ResponseError as err:
                if str(err).startswith("NOGROUP"):
                    self._group_ready = False  # re-created at once, and reported
                    continue
                self.state.failed(f"queue: {err}")
            except (RedisError, OSError) as err:
                self.state.failed(f"queue: {type(err).__name__}: {err}")
            except _Retry as err:
                self.state.failed(str(err))
            except Exception as err:  # a bug of ours: count it, never die on the same entries
                log.exception("%s: consumer failed unexpectedly", self.group)
                self.state.failed(f"{type(err).__name__}: {err}", crash=True)
                await self._give_up_on_crashing_entries(f"{type(err).__name__}: {err}")
            await pause(retrying.failed())

    async def _ensure_group(self) -> None:
        if self._group_ready:
            return
        lost = self.state.group_created
        await self.stream.ensure_group(self.group)
        self._group_ready = self.state.group_created = True
        if lost:
            self.state.groups_recreated += 1
            metrics.GROUPS_RECREATED.labels(self.group).inc()
            log.error("%s: the consumer group was gone (stream lost?); re-created", self.group)
            if self.on_group_lost is not None:
                await self.on_group_lost()

    async def step(self) -> bool:
        """Handle one batch: own pending entries (retried or taken over) first, then new ones."""
        entries = await self._read(pending=True)
        if not entries or self._with_company:
            entries += await self._read(pending=False, block=not entries)
        if not entries:
            return False
        self._handling = entries
        await self._handle(entries)
        self._handling = []
        return True

    async def _read(self, *, pending: bool, block: bool = True) -> list[Entry]:
        response = await self.stream.redis.xreadgroup(
            self.group,
            self.name,
            {self.stream.keys.events: "0" if pending else ">"},
            count=self.settings.entries_per_read,
            block=self.settings.block_ms if not pending and block else None,
        )
        if not response:
            return []
        [(_, entries)] = response
        gone = [entry_id for entry_id, fields in entries if not fields]
        if gone:  # deleted from the stream while pending (by hand): nothing left to deliver
            await self.stream.redis.xack(self.stream.keys.events, self.group, *gone)
        return [(_text(i), fields) for i, fields in entries if fields]

    async def _handle(self, entries: list[Entry]) -> None:
        units: list[Unit] = []
        letters: list[DeadLetter] = []
        for entry_id, fields in entries:
            try:
                units += [(entry_id, event) for event in decode_entry(fields)]
            except (ValidationError, ValueError, TypeError) as err:
                letters.append(DeadLetter(entry_id, raw_entry(fields), f"unreadable entry: {err}"))
        started = time.perf_counter()
        stored, poison = await self._store(units)
        metrics.SINK_BATCH_SECONDS.labels(self.group).observe(time.perf_counter() - started)
        events = list({event.event_id: event for _, event in stored}.values())
        if self.on_persisted is not None and events:
            try:
                await self.on_persisted(events)
            except (RedisError, OSError) as err:
                raise _Retry(f"live feed: {type(err).__name__}: {err}") from err
        await self._settle([entry_id for entry_id, _ in entries], letters + poison)
        self.state.persisted += len(stored)
        self.state.last_success_at = time.time()
        metrics.EVENTS_PERSISTED.labels(self.group).inc(len(stored))

    async def _store(self, units: list[Unit]) -> tuple[list[Unit], list[DeadLetter]]:
        """Write the units; isolate the failing ones. Raises _Retry on an outage."""
        if not units:
            return [], []
        try:
            await self._write([event for _, event in units])
            self._with_company = False
            return units, []
        except Outage as err:
            raise _Retry(str(err)) from err
        except Rejected as err:
            first = err
        log.warning(
            "%s: a batch of %d events was refused (%s); isolating",
            self.group,
            len(units),
            first,
            exc_info=_bug(first),
        )
        try:
            each = self._write_each if getattr(self.sink, "write_each", None) else None
            isolation = await bisect(self._write, units, str(first), each)
        except Outage as err:
            raise _Retry(str(err)) from err
        if isolation.failed and not isolation.stored and not await self._sink_works():
            return [], self._suspected(isolation.failed, str(first))
        self._with_company = False
        return isolation.stored, [_letter(unit, error) for unit, error in isolation.failed]

    async def _write(self, events: list[Event]) -> None:
        """One sink write, its failure classified as an outage or a refusal."""
        await attempt(self.sink.write(events), self.settings.write_timeout_s)

    async def _write_each(self, events: list[Event]) -> list[str | None]:
        """One sink write of each event on its own: per event, None or why it was refused."""
        each = self.sink.write_each(events)  # type: ignore[attr-defined]
        return await attempt(each, self.settings.write_timeout_s)

    async def _sink_works(self) -> bool:
        """Whether the sink can write at all (its probe), when no event of a batch could."""
        probe = getattr(self.sink, "probe", None)
        if probe is None:
            return False
        try:
            await asyncio.wait_for(probe(), self.settings.write_timeout_s)
        except asyncio.CancelledError:
            raise
        except Exception as err:
            raise _Retry(f"every event was refused and so was a probe write: {err}") from err
        return True

    def _suspected(self, failed: list[tuple[Unit, str]], error: str) -> list[DeadLetter]:
        """Events that failed alone with nothing to show the sink works: retried with company
        (new entries read beside them) up to max_attempts rounds, then dead letters."""
        self._with_company = True
        rounds = self._suspects.failed_again(failed)
        if rounds < self.settings.max_attempts:
            raise _Retry(f"every event given to the sink was refused ({rounds}): {error}")
        self._suspects.forget(failed)
        self._with_company = False
        return [_letter(unit, f"{why} (failed alone {rounds} times)") for unit, why in failed]

    async def _settle(self, entry_ids: list[str], letters: list[DeadLetter]) -> None:
        """Dead-letter and acknowledge in one transaction: a letter is written exactly once."""
        async with self.stream.redis.pipeline(transaction=True) as pipe:
            for letter in letters:
                self.stream.dead.queue_add(pipe, letter, self.group)
            pipe.xack(self.stream.keys.events, self.group, *dict.fromkeys(entry_ids))
            await pipe.execute()
        for letter in letters:
            log.error(
                "%s: moved to the dead letters (entry %s): %s",
                self.group,
                letter.entry_id,
                letter.error,
            )
        self.state.dead_lettered += len(letters)
        if letters:
            metrics.EVENTS_DEAD_LETTERED.labels(self.group).inc(len(letters))

    async def _give_up_on_crashing_entries(self, error: str) -> None:
        """Entries our own code keeps failing on are dead-lettered after max_attempts crashes."""
        entries, self._handling = self._handling, []
        doomed = [
            (entry_id, fields)
            for entry_id, fields in entries
            if self.state.crashed_on(entry_id) >= self.settings.max_attempts
        ]
        if doomed:
            letters = [
                DeadLetter(i, raw_entry(f), f"the consumer failed on it: {error}")
                for i, f in doomed
            ]
            await self._settle([entry_id for entry_id, _ in doomed], letters)

    def report(self) -> dict[str, Any]:
        """Counters, the current error (None once recovered) and the last failure."""
        return {
            **self.state.report(),
            "consumer": self.name,
            "suspects": len(self._suspects),
            "reclaimed": self.membership.reclaimed,
            "removedConsumers": self.membership.removed,
        }


def _letter(unit: Unit, error: str) -> DeadLetter:
    entry_id, event = unit
    return DeadLetter(entry_id, event.to_json().encode(), error)


def _bug(err: BaseException) -> BaseException | None:
    """The traceback worth logging: that of an exception no sink classified."""
    cause = err.__cause__
    return cause if cause is not None and not isinstance(cause, SinkError) else None


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
