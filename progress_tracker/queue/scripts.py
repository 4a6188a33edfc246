"""The Lua scripts of the queue: bounded appends and trims that keep the byte count right.

Each runs atomically in Redis, so several collectors never overshoot the bounds together, and
an append can refuse to take anything from a Redis whose persistence nobody verified.
"""

from __future__ import annotations

# KEYS: stream, its byte count, the "verified" flag.
# ARGV: max entries, max bytes, field, payload. Answers the new entry's id.
APPEND = """
if redis.call('EXISTS', KEYS[3]) == 0 then
  return redis.error_reply('UNVERIFIED the persistence of this Redis was not verified')
end
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then
  return redis.error_reply('QUEUEFULL the queue holds its maximum of ' .. ARGV[1] .. ' batches')
end
local used = tonumber(redis.call('GET', KEYS[2]) or '0')
local size = string.len(ARGV[4])
if used > 0 and used + size > tonumber(ARGV[2]) then
  return redis.error_reply('QUEUEFULL the queue holds its maximum of ' .. ARGV[2] .. ' bytes')
end
local id = redis.call('XADD', KEYS[1], '*', ARGV[3], ARGV[4])
redis.call('INCRBY', KEYS[2], size)
return id
"""

# KEYS: stream, its byte count. ARGV: the first id to keep, most entries to drop at once.
# Drops the entries before that id and subtracts their bytes; answers how many it dropped.
TRIM = """
local entries = redis.call('XRANGE', KEYS[1], '-', '(' .. ARGV[1], 'COUNT', tonumber(ARGV[2]))
if #entries == 0 then
  return 0
end
local size = 0
local ids = {}
for i, entry in ipairs(entries) do
  ids[i] = entry[1]
  local fields = entry[2]
  for j = 2, #fields, 2 do
    size = size + string.len(fields[j])
  end
end
redis.call('XDEL', KEYS[1], unpack(ids))
local left = redis.call('DECRBY', KEYS[2], size)
if left < 0 or redis.call('XLEN', KEYS[1]) == 0 then
  redis.call('SET', KEYS[2], 0)
end
return #entries
"""
