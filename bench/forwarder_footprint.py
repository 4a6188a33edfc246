"""What a student's server pays for the tracker: start-up time and memory in forwarder mode.

Starts `jupyter server` as JupyterHub would start a user server (a hub token and user in the
environment, a collector URL), with and without the extension, several times each, and prints
the median time until `api/status` answers and the resident memory once it does. The collector
need not exist: a forwarder contacts it only when events arrive. Nothing is asserted.

    .venv/bin/python bench/forwarder_footprint.py --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from servers import free_port, jupyter_env, jupyter_server, rss_mb


def one_start(with_extension: bool) -> tuple[float, float]:
    """(seconds until api/status answers, RSS in MB then) of one fresh server."""
    port = free_port()
    with tempfile.TemporaryDirectory() as root:
        env = jupyter_env(
            Path(root),
            JUPYTERHUB_USER="student1",
            JUPYTERHUB_API_TOKEN="bench-token",
            PROGRESS_TRACKER_URL="http://127.0.0.1:9/services/progress-tracker/",
        )
        started = time.perf_counter()
        process = subprocess.Popen(
            jupyter_server(
                port, Path(root), "--IdentityProvider.token=bench", extension=with_extension
            ),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=5)
                    break
                except urllib.error.HTTPError:
                    break  # answering (even 403) means started
                except (urllib.error.URLError, ConnectionError):
                    if process.poll() is not None:
                        raise RuntimeError("the server exited") from None
                    time.sleep(0.02)
            elapsed = time.perf_counter() - started
            time.sleep(0.5)  # let lazy start-up work settle before reading memory
            return elapsed, rss_mb(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    figures = {}
    for label, enabled in (("without the extension", False), ("forwarder", True)):
        samples = [one_start(enabled) for _ in range(runs)]
        figures[label] = (
            statistics.median(s[0] for s in samples),
            statistics.median(s[1] for s in samples),
        )
        print(f"{label:>22}: start-up {figures[label][0]:.2f} s, RSS {figures[label][1]:.0f} MB")
    (base_s, base_mb), (fwd_s, fwd_mb) = figures.values()
    print(f"{'extension costs':>22}: +{fwd_s - base_s:.2f} s, +{fwd_mb - base_mb:.0f} MB")


if __name__ == "__main__":
    main()
