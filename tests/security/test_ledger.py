"""The per-user ledger: the same contract in process (embedded) and in Redis (every replica)."""

from __future__ import annotations

import uuid

import pytest
import pytest_asyncio

from progress_tracker.access.budget import InProcessLedger
from progress_tracker.access.budget_redis import RedisLedger
from progress_tracker.config.intake import UserBudget
from tests.conftest import require
from tests.services.postgres import reachable

BUDGET = UserBudget(events_per_minute=60, bytes_per_minute=6000, notebooks=2, cells_per_notebook=3)


class Clock:
    """A clock the in-process ledger reads; the Redis ledger uses Redis's own."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest_asyncio.fixture(params=["in-process", "redis"])
async def ledgers(request):
    """Two ledgers as two server processes would hold them: one and the same in Redis."""
    if request.param == "in-process":
        ledger = InProcessLedger(BUDGET, clock=Clock())
        yield ledger, ledger
        return
    require(reachable(port=6379), "Redis is not listening on 127.0.0.1:6379")
    from redis.asyncio import Redis

    prefix = f"progress-tracker-test-{uuid.uuid4().hex[:10]}"
    clients = [Redis.from_url("redis://127.0.0.1:6379/0") for _ in range(2)]
    yield tuple(RedisLedger(client, prefix, BUDGET) for client in clients)
    keys = [key async for key in clients[0].scan_iter(match=f"{prefix}:*")]
    if keys:
        await clients[0].delete(*keys)
    for client in clients:
        await client.aclose()


@pytest.mark.asyncio
async def test_a_minute_of_events_fits_at_once_then_the_next_request_must_wait(ledgers):
    first, second = ledgers
    assert await first.charge("alice", events=40) == 0
    wait = await second.charge("alice", events=40)
    assert 15 <= wait <= 21  # 20 events short at one per second
    assert await second.charge("alice", events=20) == 0, "the refused request charged nothing"
    assert await first.charge("bob", events=60) == 0, "budgets are per user"


@pytest.mark.asyncio
async def test_bytes_are_budgeted_like_events(ledgers):
    first, second = ledgers
    assert await first.charge("alice", nbytes=5000) == 0
    assert await second.charge("alice", nbytes=5000) > 0
    assert await second.charge("alice", nbytes=1000) == 0


@pytest.mark.asyncio
async def test_a_request_larger_than_a_minute_fits_once_the_bucket_is_full(ledgers):
    first, _ = ledgers
    assert await first.charge("alice", events=500) == 0
    assert await first.charge("alice", events=1) > 0


@pytest.mark.asyncio
async def test_notebooks_and_cells_are_bounded_per_user_on_every_replica(ledgers):
    first, second = ledgers
    assert not await first.admit("alice", {"a.ipynb": {"c1", "c2"}})
    over = await second.admit("alice", {"a.ipynb": {"c2", "c3", "c4"}, "b.ipynb": set()})
    assert over.notebooks == frozenset()
    assert over.cells == {"a.ipynb": frozenset({"c4"})}
    over = await first.admit("alice", {"c.ipynb": {"x"}, "a.ipynb": {"c1"}})
    assert over.notebooks == frozenset({"c.ipynb"})
    assert not over.cells
    assert not await second.admit("bob", {"c.ipynb": {"x"}}), "bounds are per user"


@pytest.mark.asyncio
async def test_charging_and_admitting_at_once_records_names_only_when_the_events_fit(ledgers):
    first, second = ledgers
    wait, over = await first.charge_and_admit("alice", {"a.ipynb": {"c1"}}, events=50)
    assert (wait, bool(over)) == (0, False)
    wait, over = await second.charge_and_admit("alice", {"b.ipynb": {"x"}}, events=30)
    assert wait > 0 and not over, "refused for its rate: nothing charged, nothing recorded"
    over = await first.admit("alice", {"c.ipynb": {"y"}})
    assert not over, "b.ipynb was never recorded: alice still names only a.ipynb"
    wait, over = await second.charge_and_admit(
        "alice", {"a.ipynb": {"c2", "c3", "c4"}, "d.ipynb": set()}, events=5
    )
    assert wait == 0
    assert (over.notebooks, over.cells) == (frozenset({"d.ipynb"}), {"a.ipynb": frozenset({"c4"})})
    assert await first.charge("alice", events=6) > 0, "the 5 events were charged"
