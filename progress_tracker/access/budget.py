"""Per-user fairness: a rate and byte budget, and a bound on the notebooks and cells one user names.

Rates are token buckets holding a minute's worth: a user may send that much at once, then at the
configured rate. A request over the budget is refused whole (nothing is charged) with the seconds
after which it would fit. A collector keeps the ledger in Redis (`budget_redis.py`), so that every
replica sees the same budget; an embedded server keeps it in process.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from ..config.intake import UserBudget

MINUTE_MS = 60_000


@dataclass(frozen=True)
class OverQuota:
    """Names of one request that a user may not add: new notebooks and new cells per notebook."""

    notebooks: frozenset[str] = frozenset()
    cells: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.notebooks or any(self.cells.values()))


class Ledger(Protocol):
    """What one user has sent and named, as the events endpoint checks it."""

    async def charge(self, user: str, *, events: int = 0, nbytes: int = 0) -> float:
        """Charge a request; 0 when it fits (charged), else the seconds until it would fit."""

    async def admit(self, user: str, names: Mapping[str, set[str]]) -> OverQuota:
        """Record the notebooks and cells `names` (notebook -> cells) within the user's bounds;
        return those over them (the rest is recorded)."""

    async def charge_and_admit(
        self, user: str, names: Mapping[str, set[str]], *, events: int
    ) -> tuple[float, OverQuota]:
        """`charge(events=...)`; once charged, `admit(names)`. (The seconds to wait, nothing
        recorded; or 0 and what is over the bounds.)"""


def bucket_wait_ms(
    tokens: float, elapsed_ms: float, cost: int, per_minute: int
) -> tuple[float, float]:
    """(tokens left after refilling for `elapsed_ms` and paying `cost`, ms to wait if short).

    A bucket holds `per_minute` tokens at most; a cost above that is charged as a full bucket, so
    that any single request fits once the bucket is full.
    """
    if per_minute <= 0 or cost <= 0:
        return tokens, 0.0
    tokens = min(float(per_minute), tokens + elapsed_ms * per_minute / MINUTE_MS)
    cost = min(cost, per_minute)
    if tokens >= cost:
        return tokens - cost, 0.0
    return tokens, (cost - tokens) * MINUTE_MS / per_minute


def retry_after_s(wait_s: float) -> int:
    """Whole seconds for a Retry-After header (at least 1)."""
    return max(1, math.ceil(wait_s))


@dataclass
class _Account:
    events: float
    nbytes: float
    at_ms: float
    names: dict[str, set[str]] = field(default_factory=dict)


class InProcessLedger:
    """The ledger of one embedded server (a single process: nothing to share)."""

    def __init__(self, budget: UserBudget, clock: Callable[[], float] = time.monotonic):
        self.budget = budget
        self._clock = clock
        self._accounts: dict[str, _Account] = {}

    def _account(self, user: str) -> _Account:
        account = self._accounts.get(user)
        if account is None:
            account = _Account(
                self.budget.events_per_minute, self.budget.bytes_per_minute, self._now_ms()
            )
            self._accounts[user] = account
        return account

    def _now_ms(self) -> float:
        return self._clock() * 1000

    async def charge(self, user: str, *, events: int = 0, nbytes: int = 0) -> float:
        """Charge a request; 0 when it fits, else the seconds until it would."""
        account = self._account(user)
        now = self._now_ms()
        elapsed = now - account.at_ms
        events_left, events_wait = bucket_wait_ms(
            account.events, elapsed, events, self.budget.events_per_minute
        )
        bytes_left, bytes_wait = bucket_wait_ms(
            account.nbytes, elapsed, nbytes, self.budget.bytes_per_minute
        )
        wait = max(events_wait, bytes_wait)
        if wait:
            return wait / 1000
        account.events, account.nbytes, account.at_ms = events_left, bytes_left, now
        return 0.0

    async def charge_and_admit(
        self, user: str, names: Mapping[str, set[str]], *, events: int
    ) -> tuple[float, OverQuota]:
        """`charge(events=...)`, then, once charged, `admit(names)`."""
        return await charge_then_admit(self, user, names, events=events)

    async def admit(self, user: str, names: Mapping[str, set[str]]) -> OverQuota:
        """Record what fits within the user's notebook and cell bounds; return the rest."""
        known = self._account(user).names
        refused_notebooks: set[str] = set()
        refused_cells: dict[str, frozenset[str]] = {}
        for notebook, cells in names.items():
            if notebook not in known:
                if 0 < self.budget.notebooks <= len(known):
                    refused_notebooks.add(notebook)
                    continue
                known[notebook] = set()
            over = _admit_cells(known[notebook], cells, self.budget.cells_per_notebook)
            if over:
                refused_cells[notebook] = frozenset(over)
        return OverQuota(frozenset(refused_notebooks), refused_cells)


async def charge_then_admit(
    ledger: Ledger, user: str, names: Mapping[str, set[str]], *, events: int
) -> tuple[float, OverQuota]:
    """`Ledger.charge_and_admit` as two calls (for a ledger with nothing to save by one)."""
    wait_s = await ledger.charge(user, events=events)
    return (wait_s, OverQuota()) if wait_s else (0.0, await ledger.admit(user, names))


def _admit_cells(known: set[str], cells: Iterable[str], bound: int) -> list[str]:
    """Add `cells` to `known` up to `bound`; the cells that did not fit."""
    over = []
    for cell in sorted(set(cells) - known):
        if 0 < bound <= len(known):
            over.append(cell)
        else:
            known.add(cell)
    return over
