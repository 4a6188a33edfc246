"""Private InfluxDB 1.x and VictoriaMetrics servers on loopback ports, and ways to read them back."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from tests.conftest import require

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def require_binary(name: str) -> str:
    """The path of `name`; fails the test under CI=true, skips it elsewhere."""
    path = shutil.which(name)
    require(path is not None, f"{name} is not installed (Debian package: see docs/influxdb.md)")
    return str(path)


def http(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    timeout: float = 10.0,
    credentials: tuple[str, str] | None = None,
) -> tuple[int, bytes]:
    """One plain HTTP request; returns status and body, also for error statuses."""
    request = urllib.request.Request(url, data=body, method=method)
    if credentials is not None:
        token = base64.b64encode(":".join(credentials).encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, err.read()


class _Server(ABC):
    """A child process with a work directory and a log, stopped on `stop()`."""

    name = "server"

    def __init__(self, binary: str, workdir: Path) -> None:
        self.binary = binary
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log_path = workdir / f"{self.name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @abstractmethod
    def command(self) -> list[str]:
        """The command line that starts the server."""

    @abstractmethod
    def ready(self) -> bool:
        """Whether the server answers its readiness probe."""

    def start(self, timeout: float = 30.0) -> None:
        """Start the process and wait until it answers its readiness probe."""
        env = {key: value for key, value in os.environ.items() if not key.startswith("INFLUXDB_")}
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                cwd=self.workdir,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if self.ready():
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        tail = self.log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{self.name} did not become ready on {self.url}:\n{tail}")

    def stop(self) -> None:
        """Stop the process (SIGTERM, then SIGKILL) and reap it."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


class InfluxdServer(_Server):
    """A private `influxd` 1.x with its own config, data and WAL directories."""

    name = "influxd"

    def __init__(self, binary: str, workdir: Path, *, admin: tuple[str, str] | None = None) -> None:
        super().__init__(binary, workdir)
        self.admin = admin
        self._admin_created = False
        self.rpc_port = free_port()
        self.config_path = workdir / "influxdb.conf"
        self.config_path.write_text(self.config())

    def config(self) -> str:
        root = self.workdir
        return (
            "reporting-disabled = true\n"
            f'bind-address = "{LOOPBACK}:{self.rpc_port}"\n'
            "[meta]\n"
            f'  dir = "{root / "meta"}"\n'
            "[data]\n"
            f'  dir = "{root / "data"}"\n'
            f'  wal-dir = "{root / "wal"}"\n'
            "  query-log-enabled = false\n"
            "[http]\n"
            f'  bind-address = "{LOOPBACK}:{self.port}"\n'
            "  log-enabled = false\n"
            f"  auth-enabled = {'true' if self.admin else 'false'}\n"
            "[monitor]\n"
            "  store-enabled = false\n"
            "[continuous_queries]\n"
            "  enabled = false\n"
        )

    def command(self) -> list[str]:
        return [self.binary, "-config", str(self.config_path)]

    def ready(self) -> bool:
        status, _ = http("GET", f"{self.url}/ping", timeout=1)
        return status == 204

    def query(self, q: str, *, db: str = "", epoch: str = "ns") -> list[dict[str, Any]]:
        """Run InfluxQL; return each series of the first statement (raise on error)."""
        params = {"q": q, "epoch": epoch, **({"db": db} if db else {})}
        status, raw = http(
            "POST", f"{self.url}/query?{urllib.parse.urlencode(params)}", credentials=self.admin
        )
        answer = json.loads(raw)
        result = answer["results"][0] if "results" in answer else answer
        if status != 200 or "error" in result:
            raise RuntimeError(f"InfluxQL {q!r} failed ({status}): {raw!r}")
        return result.get("series", [])

    def rows(self, q: str, *, db: str) -> list[dict[str, Any]]:
        """Run InfluxQL; return the rows of every series as dicts of column to value."""
        return [
            dict(zip(series["columns"], values, strict=True))
            for series in self.query(q, db=db)
            for values in series["values"]
        ]

    def start(self, timeout: float = 30.0) -> None:
        """Start; with `admin` set, authentication is on and that admin user exists."""
        super().start(timeout)
        if self.admin and not self._admin_created:
            user, password = self.admin
            self.query(f"CREATE USER \"{user}\" WITH PASSWORD '{password}' WITH ALL PRIVILEGES")
            self._admin_created = True

    def create_database(self, name: str) -> None:
        self.query(f'CREATE DATABASE "{name}"')


class VictoriaMetricsServer(_Server):
    """A private `victoria-metrics`: accepts InfluxDB line protocol on `/api/v2/write`."""

    name = "victoria-metrics"

    def command(self) -> list[str]:
        return [
            self.binary,
            f"-httpListenAddr={LOOPBACK}:{self.port}",
            f"-storageDataPath={self.workdir / 'data'}",
            "-retentionPeriod=100y",
            "-search.disableCache",
            "-loggerLevel=WARN",
        ]

    def ready(self) -> bool:
        status, _ = http("GET", f"{self.url}/health", timeout=1)
        return status == 200

    def force_flush(self) -> None:
        """Make every accepted sample visible to queries."""
        status, raw = http("GET", f"{self.url}/internal/force_flush")
        if status != 200:
            raise RuntimeError(f"force_flush failed ({status}): {raw!r}")

    def export(self, match: str) -> list[dict[str, Any]]:
        """Every series matching `match` (a series selector), in the JSON-lines export format."""
        self.force_flush()
        query = urllib.parse.urlencode({"match[]": match, "start": "0"})
        status, raw = http("GET", f"{self.url}/api/v1/export?{query}")
        if status != 200:
            raise RuntimeError(f"export {match!r} failed ({status}): {raw!r}")
        return [json.loads(line) for line in raw.decode().splitlines() if line.strip()]
