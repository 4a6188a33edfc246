#!/usr/bin/env bash
# The development install (`make install`): .venv with the package editable and its test and demo
# extras, the labextension built and linked, the server extension enabled. It checks the install
# itself, not only a stamp, and repairs it when broken. Quiet: what pip and jlpm print goes to
# .venv/install.log, shown only when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
BIN=$VENV/bin
STAMP=$VENV/.installed
export PATH="$PWD/$BIN:$PATH"  # jlpm and jupyter of this venv

quietly() {
  "$@" >>"$LOG" 2>&1 && return 0
  tail -n 40 "$LOG" >&2
  echo "make install: \`$*\` failed (full log: $LOG)" >&2
  exit 1
}

# What must hold for `make run` and `make test`; prints the first thing that does not.
broken() {
  local imported servers labs
  # -I: the import must work from the install, not from the working directory
  imported=$("$BIN/python" -I - 2>&1 <<'EOF'
import pathlib, progress_tracker
where = pathlib.Path(progress_tracker.__file__).resolve().parent
if where != pathlib.Path("progress_tracker").resolve():
    raise SystemExit(f"progress_tracker is imported from {where}, not from this checkout")
EOF
  ) || { echo "${imported##*$'\n'}"; return 0; }
  servers=$("$BIN/jupyter" server extension list 2>&1 || true)
  grep -q "progress_tracker .*enabled" <<<"$servers" && grep -q "progress_tracker .*OK" <<<"$servers" \
    || { echo "jupyter server extension list: progress_tracker is not enabled and OK"; return 0; }
  labs=$("$BIN/jupyter" labextension list 2>&1 || true)
  grep -q "progress-tracker .*enabled.*OK" <<<"$labs" \
    || { echo "jupyter labextension list: progress-tracker is not enabled and OK"; return 0; }
  return 1
}

link() {
  mkdir -p "$VENV/etc/jupyter/jupyter_server_config.d" "$VENV/share/jupyter/labextensions"
  cp jupyter-config/server-config/progress_tracker.json "$VENV/etc/jupyter/jupyter_server_config.d/"
  ln -sfn "$PWD/progress_tracker/labextension" "$VENV/share/jupyter/labextensions/progress-tracker"
}

pip_install() {
  quietly "$BIN/python" -m pip install --upgrade pip setuptools wheel
  # the distribution was called progress-tracker before it had a name of its own
  if "$BIN/python" -m pip show -q progress-tracker >/dev/null 2>&1; then
    quietly "$BIN/python" -m pip uninstall -y progress-tracker
  fi
  quietly "$BIN/python" -m pip install -e ".[test,demo]"
  touch "$STAMP"
}

test -x "$BIN/python" || python3 -m venv "$VENV"
LOG=$VENV/install.log
: >"$LOG"
if [[ ! -e $STAMP || setup.cfg -nt $STAMP || pyproject.toml -nt $STAMP ]]; then
  echo "make install: installing the package and its dependencies into $VENV (log: $LOG)"
  pip_install
fi
if "$BIN/python" scripts/build_backend.py --stale; then
  echo "make install: building the labextension (log: $LOG)"
  quietly "$BIN/python" scripts/build_backend.py "$LOG"
fi
link
if problem=$(broken); then
  echo "make install: repairing the install ($problem)"
  pip_install
  link
  if problem=$(broken); then
    echo "make install: still broken after reinstalling: $problem (log: $LOG)" >&2
    exit 1
  fi
fi
