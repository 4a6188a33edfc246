#!/usr/bin/env bash
# The browser and hub tests, several rounds in a row, with a CPU hog on every core: they must pass
# on a loaded machine. Prints the wall-clock time of each round; exits non-zero if any round failed.
# The hog is stopped at the end, whatever happens.
#
#   bash scripts/stress-tests.sh                      # 3 rounds, one hog per core
#   ROUNDS=1 HOGS=4 bash scripts/stress-tests.sh -x   # extra arguments go to pytest
#
# Needs `make install` (the .venv and the built labextension) and PostgreSQL and Redis on
# 127.0.0.1 (`make services`). CI=true by default, so that a missing service fails, never skips.
set -uo pipefail
cd "$(dirname "$0")/.."

ROUNDS="${ROUNDS:-3}"
HOGS="${HOGS:-$(nproc)}"
PYTHON="${PYTHON:-.venv/bin/python}"
export CI="${CI:-true}"
[[ -x "$PYTHON" ]] || { echo "no $PYTHON: run make install first" >&2; exit 2; }

hogs=()
stop_hogs() {
  # Only the processes started here, by their ids.
  for pid in "${hogs[@]}"; do
    kill "$pid" 2>/dev/null
  done
  for pid in "${hogs[@]}"; do
    wait "$pid" 2>/dev/null
  done
  hogs=()
}
trap stop_hogs EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 "$HOGS"); do
  # A busy loop at normal priority: it takes a core's share like any other busy process, and
  # ends by itself should this script be killed without a chance to stop it.
  bash -c 'while kill -0 "$1" 2>/dev/null; do :; done' hog "$$" &
  hogs+=("$!")
done
echo "stress: $HOGS CPU hogs (pids ${hogs[*]}) on $(nproc) cores, $ROUNDS rounds"

results=()
failed=0
for round in $(seq 1 "$ROUNDS"); do
  echo "stress: round $round of $ROUNDS"
  started=$SECONDS
  "$PYTHON" -m pytest tests/browser tests/hub -p no:cacheprovider -q "$@"
  status=$?
  elapsed=$((SECONDS - started))
  if [[ $status -eq 0 ]]; then outcome=passed; else outcome="FAILED (exit $status)"; failed=1; fi
  results+=("round $round: $outcome in $((elapsed / 60)) min $((elapsed % 60)) s")
done

stop_hogs
echo "stress: summary (load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '  %s\n' "${results[@]}"
exit "$failed"
