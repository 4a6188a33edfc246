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
from .budget import OverQuota

if TYPE_CHECKING:
    from redis.asyncio import Redis

NAMES_KEPT_S = 30 * 24 * 3600

# KEYS[1] the bucket; ARGV: events cost, events per minute, bytes cost, bytes per minute.
# Returns 0 (charged) or the milliseconds to wait (nothing charged).
_CHARGE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'e', 'b', 't')
local last = tonumber(state[3]) or now
local elapsed = math.max(0, now - last)
local left = {}
local wait = 0
for i = 0, 1 do
  local cost = tonumber(ARGV[1 + 2 * i])
  local rate = tonumber(ARGV[2 + 2 * i])
  local tokens = tonumber(state[1 + i]) or rate
  if rate > 0 and cost > 0 then
    tokens = math.min(rate, tokens + elapsed * rate / 60000)
    cost = math.min(cost, rate)
    if tokens < cost then
      wait = math.max(wait, (cost - tokens) * 60000 / rate)
    else
      tokens = tokens - cost
    end
  end
  left[i + 1] = tokens
end
if wait > 0 then
  return math.ceil(wait)
end
redis.call('HSET', KEYS[1], 'e', tostring(left[1]), 'b', tostring(left[2]), 't', now)
redis.call('PEXPIRE', KEYS[1], 120000)
return 0
"""

# KEYS[1] the user's notebooks (a hash: path -> number); KEYS[2] the user's notebook counter
# prefix is ARGV[1]; ARGV[2] max notebooks, ARGV[3] max cells, ARGV[4] JSON [[path, [cells]]].
# Returns JSON {"notebooks": [paths refused], "cells": {path: [cells refused]}}.
_ADMIT = """
local prefix = ARGV[1]
local max_notebooks = tonumber(ARGV[2])
local max_cells = tonumber(ARGV[3])
local keep = tonumber(ARGV[5])
local wanted = cjson.decode(ARGV[4])
local refused_notebooks = {}
local refused_cells = {}
for _, item in ipairs(wanted) do
  local path, cells = item[1], item[2]
  local number = redis.call('HGET', KEYS[1], path)
  if not number then
    if max_notebooks > 0 and redis.call('HLEN', KEYS[1]) >= max_notebooks then
      table.insert(refused_notebooks, path)
    else
      number = redis.call('HINCRBY', KEYS[1], '\\0next', 1)
      redis.call('HSET', KEYS[1], path, number)
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
redis.call('EXPIRE', KEYS[1], keep)
return cjson.encode({notebooks = refused_notebooks, cells = refused_cells})
"""


class RedisLedger:
    """The ledger shared by every collector replica on one Redis."""

    def __init__(self, redis: Redis, prefix: str, budget: UserBudget):
        self.redis = redis
        self.prefix = prefix
        self.budget = budget
        self._charge = redis.register_script(_CHARGE)
        self._admit = redis.register_script(_ADMIT)

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
        budget = self.budget
        if not names or not (budget.notebooks or budget.cells_per_notebook):
            return OverQuota()
        wanted = [[path, sorted(cells)] for path, cells in names.items()]
        try:
            raw: Any = await self._admit(
                keys=[f"{self.prefix}:names:{user}"],
                args=[
                    f"{self.prefix}:cells:{user}:",
                    budget.notebooks + 1 if budget.notebooks else 0,  # the counter field counts
                    budget.cells_per_notebook,
                    json.dumps(wanted),
                    NAMES_KEPT_S,
                ],
            )
        except (RedisError, OSError) as err:
            raise _unreachable(err) from err
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
