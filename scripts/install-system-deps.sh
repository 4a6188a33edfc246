#!/usr/bin/env bash
# Install the Debian packages the test suite drives, when they are missing.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v influxd >/dev/null || missing+=(influxdb)
command -v victoria-metrics >/dev/null || missing+=(victoria-metrics)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v redis-cli >/dev/null || missing+=(redis-tools)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# JupyterHub's proxy for the hub tests, from npm (node 20 warns EBADENGINE; it works).
chp_dir="${HOME}/.cache/progress-tracker/chp"
if [ ! -x "$chp_dir/node_modules/.bin/configurable-http-proxy" ]; then
  echo "installing: configurable-http-proxy (npm) into $chp_dir"
  npm install --silent --no-audit --no-fund --prefix "$chp_dir" configurable-http-proxy@5 >/dev/null
fi
