"""PostgreSQL for tests: private databases on the machine's server, and a private server to stop."""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

SHARED = "postgresql+asyncpg://postgres@127.0.0.1:5432"


def reachable(host: str = "127.0.0.1", port: int = 5432) -> bool:
    """Whether something listens on host:port."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


async def _maintenance(server_url: str, statement: str) -> None:
    """Run one statement on a server's maintenance database, outside a transaction."""
    engine = create_async_engine(f"{server_url}/postgres", isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


async def create_database(server_url: str, name: str) -> None:
    """CREATE DATABASE on a server."""
    await _maintenance(server_url, f'CREATE DATABASE "{name}"')


async def drop_database(server_url: str, name: str) -> None:
    """DROP DATABASE, disconnecting whoever is still connected."""
    await _maintenance(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def private_database_name() -> str:
    """A database name no other test run uses."""
    return f"progress_tracker_test_{uuid.uuid4().hex[:10]}"


def postgres_bin() -> Path | None:
    """The folder of this machine's PostgreSQL server binaries."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


class PrivatePostgres:
    """A PostgreSQL server of the test's own (initdb in a temp dir), which it may stop and start."""

    def __init__(self, bin_dir: Path, base: Path):
        self.bin_dir = bin_dir
        self.data = base / "pgdata"
        self.sockets = base / "sockets"
        self.log = base / "postgres.log"
        self.port = _free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        for path in (base, self.sockets):
            path.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            shutil.chown(base, "postgres")
            shutil.chown(self.sockets, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    @property
    def url(self) -> str:
        """The server URL, without a database."""
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self.as_postgres, str(self.bin_dir / tool), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

    def start(self) -> None:
        """Start (or restart) the server and wait until it accepts connections."""
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.sockets} -c fsync=off "
            "-c max_connections=50"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")
        deadline = time.monotonic() + 30
        while not reachable(port=self.port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"private PostgreSQL did not start: {self.log.read_text()}")
            time.sleep(0.1)

    def stop(self) -> None:
        """Stop the server at once (clients see their connections dropped)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    async def astart(self) -> None:
        """`start` without blocking the event loop."""
        await asyncio.to_thread(self.start)

    async def astop(self) -> None:
        """`stop` without blocking the event loop."""
        await asyncio.to_thread(self.stop)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
