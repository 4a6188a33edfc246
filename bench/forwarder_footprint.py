"""What a student's server pays for the tracker: start-up time and memory in forwarder mode.

Starts `jupyter server` as JupyterHub would start a user server (a hub token and user in the
environment, a collector URL), with and without the extension, several times each, and prints
the median time until `api/status` answers and the resident memory once it does. The collector
need not exist: a forwarder contacts it only when events arrive. Nothing is asserted.

    .venv/bin/python bench/forwarder_footprint.py --runs 5
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def one_start(with_extension: bool) -> tuple[float, float]:
    """(seconds until api/status answers, RSS in MB then) of one fresh server."""
    port = free_port()
    with tempfile.TemporaryDirectory() as root:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")},
            "JUPYTER_CONFIG_DIR": f"{root}/config",
            "JUPYTER_DATA_DIR": f"{root}/data",
            "JUPYTER_RUNTIME_DIR": f"{root}/runtime",
            "JUPYTERHUB_USER": "student1",
            "JUPYTERHUB_API_TOKEN": "bench-token",
            "PROGRESS_TRACKER_URL": "http://127.0.0.1:9/services/progress-tracker/",
        }
        enabled = "True" if with_extension else "False"
        started = time.perf_counter()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter_server",
                "--allow-root",
                "--no-browser",
                f"--ServerApp.port={port}",
                f"--ServerApp.root_dir={root}",
                "--IdentityProvider.token=bench",
                f"--ServerApp.jpserver_extensions=progress_tracker={enabled}",
            ],
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
