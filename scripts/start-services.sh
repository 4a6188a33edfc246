#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1 (they normally run already on this kind of
# machine); start them with the machine's own packages if they are stopped. A Redis started here
# persists with AOF (appendonly yes, fsync every second), as a collector requires (docs/backends.md).
set -euo pipefail
REDIS_DIR="${PROGRESS_TRACKER_REDIS_DIR:-/var/lib/progress-tracker/redis}"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null; then
    mkdir -p "$REDIS_DIR"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" \
      --appendonly yes --appendfsync everysec --dir "$REDIS_DIR" \
      --logfile "$REDIS_DIR/redis.log" || true
  fi
fi
for _ in $(seq 1 30); do
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
    if [ "$(redis-cli -h 127.0.0.1 config get appendonly 2>/dev/null | tail -n1)" = "no" ]; then
      echo "note: the Redis on 127.0.0.1:6379 does not persist (no AOF): a collector refuses it" \
        "unless c.EventQueue.allow_volatile = True; the tests that need AOF run their own." >&2
    fi
    exit 0
  fi
  sleep 1
done
echo "PostgreSQL or Redis is not answering on 127.0.0.1" >&2
exit 1
