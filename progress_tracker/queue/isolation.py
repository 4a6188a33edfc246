"""Finding the poison in a failed batch by bisection: each bad event costs about log2(n) writes.

A batch that a sink refused is split in halves, each written on its own; a half that fails is
split again, down to single events. Halves without a bad event are stored on the way, and each
event that fails alone is reported once (never retried from the start of the batch).

A sink that can write events one by one in a single write (`WriteEach`: the database, with a
savepoint per event) is given the failing pieces of at most EACH_MAX events whole: a batch that
is all poison then costs a handful of writes instead of two per event.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..events import Event
from ..sinks import SinkError

Unit = tuple[str, Event]  # an event and the id of the stream entry it came in


class Outage(Exception):
    """The sink cannot write now, whatever the events: retry the same batch later."""


class Rejected(Exception):
    """The sink refused these events (one of them may be the cause)."""


Write = Callable[[list[Event]], Awaitable[object]]
# Per event: None once stored, else why it was refused.
WriteEach = Callable[[list[Event]], Awaitable[list[str | None]]]
# The largest failing piece given to a WriteEach (one savepoint per event, in one transaction).
EACH_MAX = 32


async def attempt(write: Awaitable[Any], timeout_s: float) -> Any:
    """Await a sink write, its failure classified as an Outage or a refusal (Rejected)."""
    try:
        return await asyncio.wait_for(write, timeout_s)
    except asyncio.CancelledError:
        raise
    except SinkError as err:
        raise (Outage if err.retryable else Rejected)(str(err)) from err
    except TimeoutError as err:
        raise Outage(f"a write took over {timeout_s} s") from err
    except Exception as err:  # a bug triggered by some event: isolate it like bad data
        raise Rejected(f"{type(err).__name__}: {err}") from err


@dataclass
class Isolation:
    """What a bisection found: the units stored, and those that failed alone (with why)."""

    stored: list[Unit] = field(default_factory=list)
    failed: list[tuple[Unit, str]] = field(default_factory=list)
    writes: int = 0


async def bisect(
    write: Write, units: Sequence[Unit], error: str, each: WriteEach | None = None
) -> Isolation:
    """Store what can be stored of `units` (which failed together with `error`).

    Raises Outage as soon as a write says the sink is down: the caller retries everything.
    """
    result = Isolation()
    if len(units) == 1:
        result.failed.append((units[0], error))
        return result
    failing: list[Sequence[Unit]] = [units]
    while failing:
        piece = failing.pop()
        if each is not None and len(piece) <= EACH_MAX and await _one_by_one(each, piece, result):
            continue
        middle = len(piece) // 2
        for half in (piece[:middle], piece[middle:]):
            result.writes += 1
            try:
                await write([event for _, event in half])
            except Rejected as err:
                if len(half) == 1:
                    result.failed.append((half[0], str(err)))
                else:
                    failing.append(half)
            else:
                result.stored.extend(half)
    return result


async def _one_by_one(each: WriteEach, piece: Sequence[Unit], result: Isolation) -> bool:
    """Write the piece's events one by one in one write; False if that write itself failed
    (the piece is then bisected as usual)."""
    result.writes += 1
    try:
        refused = await each([event for _, event in piece])
    except Rejected:
        return False
    for unit, why in zip(piece, refused, strict=True):
        if why is None:
            result.stored.append(unit)
        else:
            result.failed.append((unit, why))
    return True


class Suspects:
    """Events that failed alone while nothing showed that the sink works, with their rounds."""

    def __init__(self) -> None:
        self._rounds: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._rounds)

    def failed_again(self, failed: Sequence[tuple[Unit, str]]) -> int:
        """Count one more round for each; the fewest rounds any of them has failed."""
        for (_, event), _ in failed:
            self._rounds[event.event_id] = self._rounds.get(event.event_id, 0) + 1
        return min(self._rounds[event.event_id] for (_, event), _ in failed)

    def forget(self, failed: Sequence[tuple[Unit, str]]) -> None:
        """They are dealt with (dead-lettered)."""
        for (_, event), _ in failed:
            self._rounds.pop(event.event_id, None)
