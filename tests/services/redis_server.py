"""A Redis server of the test's own, with or without AOF, which the test may kill and restart."""

from __future__ import annotations

import asyncio
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from tests.conftest import require


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_server_binary() -> str:
    path = shutil.which("redis-server")
    require(path is not None, "redis-server is not installed (Debian package redis-server)")
    return str(path)


class PrivateRedis:
    """`redis-server` on a free loopback port with its data in `workdir`.

    `appendonly=True` is the configuration the docs ask for (AOF, fsync every second); False
    is Debian's default without RDB snapshots: nothing survives a restart.
    """

    def __init__(self, workdir: Path, *, appendonly: bool, password: str | None = None):
        self.binary = redis_server_binary()
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.appendonly = appendonly
        self.password = password
        self.port = free_port()
        self.log = workdir / "redis.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def command(self) -> list[str]:
        options = [
            "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.workdir),
            "--save", "", "--appendonly", "yes" if self.appendonly else "no",
            "--appendfsync", "everysec", "--logfile", str(self.log), "--daemonize", "no",
        ]  # fmt: skip
        if self.password:
            options += ["--requirepass", self.password]
        return [self.binary, *options]

    def start(self, timeout: float = 30.0) -> None:
        """Start (or restart, on the same data) and wait until it answers PING."""
        self.process = subprocess.Popen(
            self.command(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT, cwd=self.workdir,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.05)

    def answers(self) -> bool:
        """Whether it answers PING (and has loaded its data: no LOADING reply)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                if self.password:
                    sock.sendall(f"AUTH {self.password}\r\n".encode())
                    sock.recv(64)
                sock.sendall(b"PING\r\n")
                return sock.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send `sig` (SIGKILL: a crash; SIGTERM: a clean shutdown) and wait for the end.

        Redis ignores a SIGTERM while it writes its first AOF ("can't exit"): it is sent again.
        """
        assert self.process is not None
        for _ in range(30):
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=1)
                break
            except subprocess.TimeoutExpired:
                continue
        else:
            raise RuntimeError(f"redis-server ignored {sig!r}: {self.log.read_text()[-2000:]}")
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill(signal.SIGTERM)

    async def astart(self) -> None:
        await asyncio.to_thread(self.start)

    async def akill(self, sig: int = signal.SIGKILL) -> None:
        await asyncio.to_thread(self.kill, sig)
