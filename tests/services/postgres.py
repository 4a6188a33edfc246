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


async def run_in(server_url: str, database: str, *statements: str) -> None:
    """Run statements as the superuser in one database, outside a transaction."""
    engine = create_async_engine(f"{server_url}/{database}", isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


class OwnedDatabase:
    """A database owned by a login role of its own: unlike the superuser, privileges and
    read-only settings apply to it, so a test can take them away as an operator might."""

    def __init__(self, server_url: str):
        self.server_url = server_url
        self.name = private_database_name()
        self.role = f"{self.name}_owner"

    @property
    def url(self) -> str:
        """The database's URL, connecting as its owner."""
        return self.server_url.replace("postgres@", f"{self.role}@", 1) + f"/{self.name}"

    async def create(self) -> None:
        await _maintenance(self.server_url, f'CREATE ROLE "{self.role}" LOGIN')
        await _maintenance(self.server_url, f'CREATE DATABASE "{self.name}" OWNER "{self.role}"')

    async def drop(self) -> None:
        await drop_database(self.server_url, self.name)
        await _maintenance(self.server_url, f'DROP ROLE IF EXISTS "{self.role}"')

    async def revoke_insert(self) -> None:
        """INSERT taken away on every table (a mistaken GRANT/REVOKE by an operator)."""
        await run_in(
            self.server_url, self.name,
            f'REVOKE INSERT ON ALL TABLES IN SCHEMA public FROM "{self.role}"',
        )  # fmt: skip

    async def grant_insert(self) -> None:
        await run_in(
            self.server_url, self.name,
            f'GRANT INSERT ON ALL TABLES IN SCHEMA public TO "{self.role}"',
        )  # fmt: skip

    async def read_only(self, on: bool) -> None:
        """Sessions become read-only (or writable again), as after a fail-over to a standby:
        the role's open connections are closed and its new ones take the new default."""
        setting = "SET default_transaction_read_only = on" if on else "RESET ALL"
        await run_in(
            self.server_url, "postgres",
            f'ALTER DATABASE "{self.name}" {setting}',
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{self.role}'",
        )  # fmt: skip


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

    def stop(self, mode: str = "immediate") -> None:
        """Stop the server: 'immediate' (a crash: connections dropped, recovery at the next
        start) or 'fast' (sessions terminated, a clean shutdown)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    async def astart(self) -> None:
        """`start` without blocking the event loop."""
        await asyncio.to_thread(self.start)

    async def astop(self, mode: str = "immediate") -> None:
        """`stop` without blocking the event loop."""
        await asyncio.to_thread(self.stop, mode)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
