"""A real `jupyter server` subprocess with the extension, as an operator would run it."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.waiting import SERVICE_DEADLINE_S, wait_until


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JupyterServer:
    """A real `jupyter server` process with the extension, as an operator would run it.

    With a `database_url` it stores there under the owner name `teacher`; without one it runs on
    its defaults. `env` is added to (or, for JupyterHub's variables, replaces) the environment.
    """

    def __init__(
        self,
        root: Path,
        database_url: str | None,
        *options: str,
        env: dict[str, str] | None = None,
    ):
        self.root, self.database_url, self.options = root, database_url, options
        self.extra_env = env or {}
        root.mkdir(parents=True, exist_ok=True)
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.process: subprocess.Popen[bytes] | None = None
        self.log = root / "server.log"

    def start(self) -> None:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
        env = {
            **(inherited if self.extra_env else os.environ),
            "JUPYTER_CONFIG_DIR": str(self.root / "config"),
            "JUPYTER_DATA_DIR": str(self.root / "data"),
            "JUPYTER_RUNTIME_DIR": str(self.root / "runtime"),
            **self.extra_env,
        }
        storage = (
            [
                f"--ProgressTracker.database_url={self.database_url}",
                "--ProgressTracker.owner_name=teacher",
            ]
            if self.database_url
            else []
        )
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "jupyter_server",
                    "--allow-root",
                    "--no-browser",
                    f"--ServerApp.port={self.port}",
                    "--ServerApp.ip=127.0.0.1",
                    f"--IdentityProvider.token={self.token}",
                    f"--ServerApp.root_dir={self.root}",
                    "--ServerApp.jpserver_extensions=progress_tracker=True",
                    *storage,
                    *self.options,
                ],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until(self._answers, "the server to answer")
        except AssertionError as failure:
            raise AssertionError(f"{failure}:\n{self.log.read_text()}") from None

    def _answers(self) -> bool:
        assert self.process is not None
        assert self.process.poll() is None, "the server exited"
        try:
            self.call("GET", "me")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False  # not listening yet, or starting too slowly to answer
        return True

    def call(self, method: str, path: str, body: object = None) -> tuple[int, object]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/v1/{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=SERVICE_DEADLINE_S)
