"""A real JupyterHub for the hub tests: proxy, hub, the collector service and user servers.

Everything listens on 127.0.0.1 on spare ports. The hub is started from Python in its own
session. The collector (a managed service) queues on Redis under a private key prefix and
stores to a private PostgreSQL database; both are removed at the end. Every process of a run
carries a marker in its environment, so that the tests can find it (and nothing outlives the
session).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import require
from tests.waiting import SERVICE_DEADLINE_S, wait_until

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BUILT_LABEXTENSION = REPO / "progress_tracker" / "labextension"
DEFAULT_CHP = Path.home() / ".cache/progress-tracker/chp/node_modules/.bin/configurable-http-proxy"
POSTGRES = "postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/0"
SERVICE = "progress-tracker"
USERS = ("student1", "student2", "instructor1")
# Users of the two courses of jupyterhub_config.py (no server is started for them up front).
COURSE_USERS = ("prof101", "prof102", "ta101a", "s101a", "s101b", "s102", "sboth", "hubadmin")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def proxy_command() -> str | None:
    """configurable-http-proxy: $PROGRESS_TRACKER_CHP, the npm cache folder, or the PATH."""
    for candidate in (os.environ.get("PROGRESS_TRACKER_CHP"), str(DEFAULT_CHP)):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("configurable-http-proxy")


async def _postgres(statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(f"postgresql://{POSTGRES}/postgres", timeout=30)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _fetch(database: str, query: str, *args: Any) -> list[Any]:
    import asyncpg

    connection = await asyncpg.connect(f"postgresql://{POSTGRES}/{database}", timeout=30)
    try:
        return await connection.fetch(query, *args)
    finally:
        await connection.close()


def postgres_available() -> bool:
    """Whether PostgreSQL accepts the trusted postgres user on 127.0.0.1:5432."""
    import asyncpg

    try:
        asyncio.run(_postgres("SELECT 1"))
    except (OSError, TimeoutError, asyncpg.PostgresError):
        return False
    return True


async def _redis(*command: Any) -> Any:
    from redis.asyncio import Redis

    client = Redis.from_url(REDIS, socket_connect_timeout=30)
    try:
        return await client.execute_command(*command)
    finally:
        await client.aclose()


def redis_available() -> bool:
    """Whether Redis answers on 127.0.0.1:6379."""
    from redis.exceptions import RedisError

    try:
        return bool(asyncio.run(_redis("PING")))
    except (OSError, RedisError):
        return False


async def _drop_redis_keys(prefix: str) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(REDIS, socket_connect_timeout=30)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


def marked_processes(marker: str) -> dict[int, dict[str, str]]:
    """pid -> environment of every live process whose environment carries `marker`."""
    found: dict[int, dict[str, str]] = {}
    needle = f"PT_HUB_TEST_RUN={marker}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle in raw.split(b"\0"):
            pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
            found[int(entry.name)] = {k.decode(): v.decode(errors="replace") for k, v in pairs}
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


class Hub:
    """A running JupyterHub with the progress-tracker collector, driven through its REST API."""

    def __init__(self, base: Path, proxy: str, database: str) -> None:
        self.base = base
        self.run = base / "run"
        self.marker = secrets.token_hex(8)
        self.database = database
        self.database_url = f"postgresql+asyncpg://{POSTGRES}/{database}"
        self.redis_prefix = f"progress-tracker-hubtest-{self.marker}"
        self.password = secrets.token_hex(12)
        self.admin_token = secrets.token_hex(24)
        self.public_port, self.hub_port = free_port(), free_port()
        self.proxy_api_port, self.service_port = free_port(), free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = base / "jupyterhub.log"
        share = base / "share"
        (share / "labextensions").mkdir(parents=True)
        if BUILT_LABEXTENSION.is_dir():
            (share / "labextensions" / "progress-tracker").symlink_to(BUILT_LABEXTENSION)
        for folder in ("home", "collector"):
            (self.run / folder).mkdir(parents=True)
        self.env = {
            **os.environ,
            "PT_HUB_TEST_RUN": self.marker,
            "PT_HUB_RUN": str(self.run),
            "PT_HUB_PUBLIC_PORT": str(self.public_port),
            "PT_HUB_HUB_PORT": str(self.hub_port),
            "PT_HUB_PROXY_API_PORT": str(self.proxy_api_port),
            "PT_HUB_SERVICE_PORT": str(self.service_port),
            "PT_HUB_PROXY_CMD": proxy,
            "PT_HUB_PASSWORD": self.password,
            "PT_HUB_ADMIN_TOKEN": self.admin_token,
            "PT_HUB_DATABASE_URL": self.database_url,
            # the machine's shared Redis persists nothing: the collector is told to accept that
            "PT_HUB_COLLECTOR_ARGS": f"--ProgressTracker.redis_url={REDIS} "
            f"--EventQueue.key_prefix={self.redis_prefix} --EventQueue.allow_volatile=True",
            "PT_HUB_JUPYTER_PATH": str(share),
            "PT_HUB_PYTHONPATH": str(REPO),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }

    @property
    def url(self) -> str:
        """The public URL (the proxy), as browsers and user servers see it."""
        return f"http://127.0.0.1:{self.public_port}/"

    @property
    def service_url(self) -> str:
        """The collector's public URL."""
        return f"{self.url}services/{SERVICE}/"

    def start(self, timeout: float = SERVICE_DEADLINE_S) -> None:
        """Start the hub in its own session and wait until the collector answers."""
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(HERE / "jupyterhub_config.py")],
            cwd=self.run,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.wait_for_collector(timeout)

    def wait_for_collector(self, timeout: float = SERVICE_DEADLINE_S) -> None:
        """Wait until the collector answers /api/status through the proxy."""
        try:
            wait_until(self._collector_answers, "the collector to answer", timeout)
        except AssertionError as failure:
            raise AssertionError(f"{failure}:\n{self.log_tail()}") from None

    def _collector_answers(self) -> bool:
        assert self.process is not None and self.process.poll() is None, "the hub exited"
        try:
            response = requests.get(
                f"{self.service_url}api/status", headers=self.auth(self.admin_token), timeout=30
            )
        except (requests.ConnectionError, requests.Timeout):
            return False  # not listening yet, or starting too slowly to answer
        return response.status_code == 200

    def stop(self) -> None:
        """Stop the hub (which stops servers, the service and the proxy); then kill leftovers."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        for pid in marked_processes(self.marker):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def log_tail(self, lines: int = 60) -> str:
        """The end of the hub's log (hub, proxy, collector and user servers)."""
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    @staticmethod
    def auth(token: str) -> dict[str, str]:
        """The header of a token request."""
        return {"Authorization": f"token {token}"}

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Call the hub's REST API with the test driver's admin token."""
        return requests.request(
            method,
            f"{self.url}hub/api/{path}",
            headers=self.auth(self.admin_token),
            timeout=30,
            **kwargs,
        )

    def token_for(self, user: str) -> str:
        """A new API token of `user` (with the user's own permissions)."""
        response = self.api("POST", f"users/{user}/tokens", json={"note": "hub tests"})
        assert response.status_code == 201, response.text
        return response.json()["token"]

    def spawn(self, *users: str, timeout: float = SERVICE_DEADLINE_S) -> None:
        """Start the users' default servers and wait until they are ready."""
        for user in users:
            response = self.api("POST", f"users/{user}/server", json={})
            assert response.status_code in (201, 202, 400), response.text
        pending = set(users)

        def all_ready() -> bool:
            for user in list(pending):
                server = self.api("GET", f"users/{user}").json()["servers"].get("", {})
                if server.get("ready"):
                    pending.discard(user)
            return not pending

        try:
            wait_until(all_ready, "the users' servers", timeout)
        except AssertionError:
            raise AssertionError(
                f"servers of {pending} did not start:\n{self.log_tail()}"
            ) from None

    def server_url(self, user: str) -> str:
        """The public URL of a user's default server."""
        return f"{self.url}user/{user}/"

    def collector_pid(self) -> int:
        """The pid of the collector process, as the hub reports it."""
        return int(self.api("GET", f"services/{SERVICE}").json()["pid"])

    def server_environment(self, user: str) -> dict[str, str]:
        """The environment of the running server process of `user`."""
        servers = [
            env
            for pid, env in marked_processes(self.marker).items()
            if env.get("JUPYTERHUB_USER") == user and b"jupyterhub.singleuser" in _cmdline(pid)
        ]
        assert len(servers) == 1, f"expected one server process of {user}, found {len(servers)}"
        return servers[0]

    def stored(self, query: str, *args: Any) -> list[Any]:
        """Rows of a query against the collector's database (also from inside a running loop)."""
        with ThreadPoolExecutor(1) as worker:
            return worker.submit(asyncio.run, _fetch(self.database, query, *args)).result()

    def stored_event_ids(self, notebook: str, expected: int = 0) -> list[str]:
        """Event ids stored for `notebook`, once `expected` of them are (or after the deadline)."""
        deadline = time.monotonic() + SERVICE_DEADLINE_S
        while True:
            rows = self.stored(
                "SELECT e.event_id FROM cell_executions e"
                " JOIN notebooks n ON n.id = e.notebook_id WHERE n.path = $1 ORDER BY e.id",
                notebook,
            )
            ids = [row["event_id"] for row in rows]
            if len(ids) >= expected or time.monotonic() >= deadline:
                return ids
            time.sleep(0.2)


@pytest.fixture(scope="session")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """A running hub with the collector and the servers of every test user, for the session."""
    proxy = proxy_command()
    require(proxy is not None, "configurable-http-proxy (npm) is not installed")
    require(postgres_available(), f"PostgreSQL is not reachable as {POSTGRES}")
    require(redis_available(), f"Redis is not reachable at {REDIS}")
    database = f"progress_tracker_hubtest_{secrets.token_hex(6)}"
    asyncio.run(_postgres(f'CREATE DATABASE "{database}"'))
    running = Hub(tmp_path_factory.mktemp("hub"), proxy, database)
    try:
        running.start()
        running.spawn(*USERS)
        yield running
    finally:
        running.stop()
        asyncio.run(_drop_redis_keys(running.redis_prefix))
        asyncio.run(_postgres(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def tokens(hub: Hub) -> dict[str, str]:
    """An API token of each test user."""
    return {user: hub.token_for(user) for user in USERS}


@pytest.fixture(scope="session")
def course_tokens(hub: Hub) -> dict[str, str]:
    """An API token of each user of the two courses."""
    return {user: hub.token_for(user) for user in COURSE_USERS}
