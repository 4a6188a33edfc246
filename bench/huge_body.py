"""What a 300 MB POST costs a collector: its resident memory before and after, and the answer.

Starts `jupyter server` in collector mode (SQLite, no Redis: the body limit is the handler's, the
pipeline does not matter), then sends api/v1/events a body of `--mb` megabytes, once announced
with Content-Length and once chunked, and prints the collector's RSS before, at its peak while
answering, and after, with the status and time to the answer. Nothing is asserted.

    .venv/bin/python bench/huge_body.py --mb 300
    PYTHONPATH=/path/to/other/checkout .venv/bin/python bench/huge_body.py   # another version
"""

from __future__ import annotations

import argparse
import http.client
import secrets
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from servers import free_port, jupyter_env, jupyter_server, rss_mb

BLOCK = b" " * (1024 * 1024)


class Peak(threading.Thread):
    """Samples a process's RSS until stopped; keeps the highest."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, rss_mb(pid), True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.01)


def post(port: int, token: str, megabytes: int, chunked: bool) -> tuple[str, float]:
    """Send the body block by block; (status or what happened, seconds until the answer)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.putrequest("POST", "/api/v1/events")
    connection.putheader("Authorization", f"token {token}")
    connection.putheader("Content-Type", "application/json")
    if chunked:
        connection.putheader("Transfer-Encoding", "chunked")
    else:
        connection.putheader("Content-Length", str(megabytes * len(BLOCK)))
    connection.endheaders()
    outcome = ""
    try:
        for _ in range(megabytes):
            data = f"{len(BLOCK):x}\r\n".encode() + BLOCK + b"\r\n" if chunked else BLOCK
            connection.send(data)
        if chunked:
            connection.send(b"0\r\n\r\n")
    except OSError as err:
        outcome = f"closed while sending ({type(err).__name__}); "
    try:
        response = connection.getresponse()
        outcome += f"HTTP {response.status}"
    except OSError as err:
        outcome += f"no answer ({type(err).__name__})"
    finally:
        connection.close()
    return outcome, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=300, help="body size in megabytes")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="pt-huge-body-"))
    port, token = free_port(), secrets.token_hex(16)
    server = subprocess.Popen(
        jupyter_server(
            port,
            root,
            f"--IdentityProvider.token={token}",
            "--ProgressTracker.mode=collector",
            f"--ProgressTracker.database_url=sqlite+aiosqlite:///{root}/progress.sqlite",
        ),
        env=jupyter_env(root),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/v1/me",
                    headers={"Authorization": f"token {token}"},
                )
                urllib.request.urlopen(request, timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        for chunked in (False, True):
            before = rss_mb(server.pid)
            peak = Peak(server.pid)
            peak.start()
            outcome, seconds = post(port, token, args.mb, chunked)
            time.sleep(1)  # let the collector settle before the "after" sample
            peak.running = False
            peak.join()
            kind = "chunked" if chunked else "Content-Length"
            print(
                f"{args.mb} MB POST ({kind}): {outcome} after {seconds:.2f} s; collector RSS "
                f"before {before:.0f} MB, peak {peak.peak:.0f} MB, after {rss_mb(server.pid):.0f} MB"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
