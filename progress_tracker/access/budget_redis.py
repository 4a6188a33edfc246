"""The per-user ledger of a collector, in Redis: one budget for every replica, checked atomically.

Keys (under the queue's prefix): `<prefix>:budget:<user>` (a hash: tokens and their time),
`<prefix>:names:<user>` (the notebooks the user named) and `<prefix>:cells:<user>:<n>` (the cells
of the user's n-th notebook). Each script runs atomically in Redis, on Redis's clock, so
concurrent requests on several replicas can never overdraw a budget. Names are forgotten after
`NAMES_KEPT_S` without use.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError

from ..config.intake import UserBudget
from ..errors import Unavailable
from .budget import OverQuota, charge_then_admit

if TYPE_CHECKING:
    from redis.asyncio import Redis

NAMES_KEPT_S = 30 * 24 * 3600

# charge(bucket, events cost, events per minute, bytes cost, bytes per minute): 0 (charged) or
# the milliseconds to wait (nothing charged).
_CHARGE_FUNCTION = """
local function charge(bucket, e_cost, e_rate, b_cost, b_rate)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local state = redis.call('HMGET', bucket, 'e', 'b', 't')
  local last = tonumber(state[3]) or now
  local elapsed = math.max(0, now - last)
  local costs = {tonumber(e_cost), tonumber(b_cost)}
  local rates = {tonumber(e_rate), tonumber(b_rate)}
  local left = {}
  local wait = 0
  for i = 1, 2 do
    local cost, rate = costs[i], rates[i]
    local tokens = tonumber(state[i]) or rate
    if rate > 0 and cost > 0 then
      tokens = math.min(rate, tokens + elapsed * rate / 60000)
      cost = math.min(cost, rate)
      if tokens < cost then
        wait = math.max(wait, (cost - tokens) * 60000 / rate)
      else
        tokens = tokens - cost
      end
    end
    left[i] = tokens
  end
  if wait > 0 then
    return math.ceil(wait)
  end
  redis.call('HSET', bucket, 'e', tostring(left[1]), 'b', tostring(left[2]), 't', now)
  redis.call('PEXPIRE', bucket, 120000)
  return 0
end
"""

# admit(the user's notebooks (a hash: path -> number), prefix of their cell sets, max notebooks,
# max cells, JSON [[path, [cells]]], seconds kept): JSON {"notebooks": [paths refused],
# "cells": {path: [cells refused]}}.
_ADMIT_FUNCTION = """
local function admit(names, prefix, max_notebooks, max_cells, wanted_json, keep)
  max_notebooks, max_cells, keep = tonumber(max_notebooks), tonumber(max_cells), tonumber(keep)
  local wanted = cjson.decode(wanted_json)
  local refused_notebooks = {}
  local refused_cells = {}
  for _, item in ipairs(wanted) do
    local path, cells = item[1], item[2]
    local number = redis.call('HGET', names, path)
    if not number then
      if max_notebooks > 0 and redis.call('HLEN', names) >= max_notebooks then
        table.insert(refused_notebooks, path)
      else
        number = redis.call('HINCRBY', names, '\\0next', 1)
        redis.call('HSET', names, path, number)
      end
    end
    if number then
      local key = prefix .. number
      local over = {}
      for _, cell in ipairs(cells) do
        if redis.call('SISMEMBER', key, cell) == 0 then
          if max_cells > 0 and redis.call('SCARD', key) >= max_cells then
            table.insert(over, cell)
          else
            redis.call('SADD', key, cell)
          end
        end
      end
      redis.call('EXPIRE', key, keep)
      if #over > 0 then refused_cells[path] = over end
    end
  end
  redis.call('EXPIRE', names, keep)
  return cjson.encode({notebooks = refused_notebooks, cells = refused_cells})
end
"""

# KEYS[1] the bucket; ARGV: events cost, events per minute, bytes cost, bytes per minute.
_CHARGE = _CHARGE_FUNCTION + "return charge(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4])"
# KEYS[1] the user's notebooks; ARGV: as `admit` after its first argument.
_ADMIT = _ADMIT_FUNCTION + "return admit(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])"
# KEYS: the bucket, the user's notebooks; ARGV: events cost, events per minute, then as `_ADMIT`.
# Returns {ms to wait, ""} when the events do not fit (nothing charged or recorded), else
# {0, what `admit` returns}.
_CHARGE_AND_ADMIT = (
    _CHARGE_FUNCTION
    + _ADMIT_FUNCTION
    + """
local wait = charge(KEYS[1], ARGV[1], ARGV[2], 0, 0)
if wait > 0 then
  return {wait, ''}
end
return {0, admit(KEYS[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7])}
"""
)


class RedisLedger:
    """The ledger shared by every collector replica on one Redis."""

    def __init__(self, redis: Redis, prefix: str, budget: UserBudget):
        self.redis = redis
        self.prefix = prefix
        self.budget = budget
        self._charge = redis.register_script(_CHARGE)
        self._admit = redis.register_script(_ADMIT)
        self._charge_and_admit = redis.register_script(_CHARGE_AND_ADMIT)

    async def charge(self, user: str, *, events: int = 0, nbytes: int = 0) -> float:
        """Charge a request; 0 when it fits, else the seconds until it would."""
        budget = self.budget
        if not (budget.events_per_minute or budget.bytes_per_minute):
            return 0.0
        try:
            wait_ms = await self._charge(
                keys=[f"{self.prefix}:budget:{user}"],
                args=[events, budget.events_per_minute, nbytes, budget.bytes_per_minute],
            )
        except (RedisError, OSError) as err:
            raise _unreachable(err) from err
        return int(wait_ms) / 1000

    async def admit(self, user: str, names: Mapping[str, set[str]]) -> OverQuota:
        """Record what fits within the user's notebook and cell bounds; return the rest."""
        if not names or not self._bounded:
            return OverQuota()
        try:
            raw: Any = await self._admit(
                keys=[self._names(user)], args=self._admit_args(user, names)
            )
        except (RedisError, OSError) as err:
            raise _unreachable(err) from err
        return _over_quota(raw)

    async def charge_and_admit(
        self, user: str, names: Mapping[str, set[str]], *, events: int
    ) -> tuple[float, OverQuota]:
        """`charge(events=...)`, then, once charged, `admit(names)`: one round trip to Redis."""
        budget = self.budget
        if not budget.events_per_minute or not names or not self._bounded:
            return await charge_then_admit(self, user, names, events=events)  # one call at most
        try:
            wait_ms, raw = await self._charge_and_admit(
                keys=[f"{self.prefix}:budget:{user}", self._names(user)],
                args=[events, budget.events_per_minute, *self._admit_args(user, names)],
            )
        except (RedisError, OSError) as err:
            raise _unreachable(err) from err
        if int(wait_ms):
            return int(wait_ms) / 1000, OverQuota()
        return 0.0, _over_quota(raw)

    @property
    def _bounded(self) -> bool:
        return bool(self.budget.notebooks or self.budget.cells_per_notebook)

    def _names(self, user: str) -> str:
        return f"{self.prefix}:names:{user}"

    def _admit_args(self, user: str, names: Mapping[str, set[str]]) -> list[Any]:
        budget = self.budget
        return [
            f"{self.prefix}:cells:{user}:",
            budget.notebooks + 1 if budget.notebooks else 0,  # the counter field counts
            budget.cells_per_notebook,
            json.dumps([[path, sorted(cells)] for path, cells in names.items()]),
            NAMES_KEPT_S,
        ]


def _over_quota(raw: Any) -> OverQuota:
    refused = json.loads(raw)
    cells = refused.get("cells") or {}
    return OverQuota(
        frozenset(refused.get("notebooks") or ()),
        {
            path: frozenset(over)
            for path, over in (cells if isinstance(cells, dict) else {}).items()
        },
    )


def _unreachable(err: BaseException) -> Unavailable:
    return Unavailable(f"The event queue is unreachable ({type(err).__name__}).")
