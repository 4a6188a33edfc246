"""What the benchmarks share: spare ports, process memory, and a Jupyter server command line."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def jupyter_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a server with Jupyter folders of its own under `home`."""
    return {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        **extra,
    }


def jupyter_server(port: int, root: Path, *options: str, extension: bool = True) -> list[str]:
    """`jupyter server` on 127.0.0.1:`port`, serving `root`, with or without the tracker."""
    enabled = "True" if extension else "False"
    return [
        sys.executable,
        "-m",
        "jupyter_server",
        "--allow-root",
        "--no-browser",
        f"--ServerApp.port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.jpserver_extensions=progress_tracker={enabled}",
        *options,
    ]


def collector_options(secret: str, database_url: str, redis_url: str, prefix: str) -> list[str]:
    """A benchmark collector's options: signed per-student tokens (identities.py), its own
    database and key prefix, any Redis (a benchmark accepts one that persists nothing)."""
    return [
        "--ServerApp.identity_provider_class=identities.BenchIdentityProvider",
        f"--BenchIdentityProvider.secret={secret}",
        "--ServerApp.log_level=WARN",
        f"--ProgressTracker.database_url={database_url}",
        f"--ProgressTracker.redis_url={redis_url}",
        f"--EventQueue.key_prefix={prefix}",
        "--EventQueue.allow_volatile=True",
        "--ProgressTracker.database_pool_size=4",
    ]
