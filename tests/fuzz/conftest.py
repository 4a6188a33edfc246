"""A real server for the fuzz suite, and a ledger of what it accepted and refused.

The server is a `jupyter server` process (embedded mode) on a private PostgreSQL database; its
students are named by their tokens (`tests/security/students.py`), its owner is the instructor.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import require
from tests.jupyter_process import JupyterServer
from tests.services.postgres import (
    SHARED,
    create_database,
    drop_database,
    private_database_name,
    reachable,
)

REPO = Path(__file__).resolve().parents[2]
STUDENTS = [f"fuzz{i}" for i in range(20)]
RECORDED: Counter[str] = Counter()  # requests per fuzz test, for the summary


@dataclass
class Ledger:
    """What the fuzzed server answered: (user, eventId) accepted and refused, statuses seen."""

    accepted: set[tuple[str, str]] = field(default_factory=set)
    refused: set[tuple[str, str]] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)


class FuzzedServer:
    """The server under fuzzing: a requests session, the ledger, and its database."""

    def __init__(self, server: JupyterServer, database: str):
        self.server = server
        self.database = database
        self.base = f"http://127.0.0.1:{server.port}/"
        self.session = requests.Session()
        self.ledger = Ledger()

    def request(self, test: str, method: str, path: str, *, token: str, **kwargs: Any):
        """One request; a 5xx fails the test at once."""
        response = self.session.request(
            method,
            f"{self.base}{path}",
            headers={"Authorization": f"token {token}", **kwargs.pop("headers", {})},
            timeout=60,
            **kwargs,
        )
        RECORDED[test] += 1
        self.ledger.statuses[response.status_code] += 1
        assert response.status_code < 500, (method, path, response.status_code, response.text)
        return response

    @property
    def owner_token(self) -> str:
        return self.server.token

    def alive(self) -> bool:
        """The process runs and answers its status."""
        assert self.server.process is not None and self.server.process.poll() is None
        status = self.session.get(
            f"{self.base}api/status", headers={"Authorization": f"token {self.owner_token}"}
        )
        return status.status_code == 200

    def stored_counts(self) -> Counter[tuple[str, str]]:
        """(user, eventId) -> rows stored, over executions and notebook events."""
        return asyncio.run(_stored_counts(self.database))


async def _stored_counts(database: str) -> Counter[tuple[str, str]]:
    import asyncpg

    connection = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:5432/{database}")
    try:
        rows = await connection.fetch(
            "SELECT s.user_id, t.event_id, count(*) AS n FROM ("
            " SELECT student_id, event_id FROM cell_executions"
            " UNION ALL SELECT student_id, event_id FROM notebook_events) t"
            " JOIN students s ON s.id = t.student_id GROUP BY s.user_id, t.event_id"
        )
    finally:
        await connection.close()
    return Counter({(row["user_id"], row["event_id"]): row["n"] for row in rows})


@pytest.fixture(scope="session")
def fuzzed(tmp_path_factory) -> Iterator[FuzzedServer]:
    """The embedded server on PostgreSQL, started once for the fuzz suite."""
    require(reachable(port=5432), "PostgreSQL is not listening on 127.0.0.1:5432")
    name = private_database_name()
    asyncio.run(create_database(SHARED, name))
    os.environ.setdefault("PYTHONPATH", str(REPO))
    server = JupyterServer(
        tmp_path_factory.mktemp("fuzzed"),
        f"{SHARED}/{name}",
        "--ServerApp.identity_provider_class=tests.security.students.StudentTokens",
        "--EventIntake.user_events_per_minute=100000",
        "--EventIntake.user_bytes_per_minute=0",
        "--EventIntake.user_max_notebooks=1000",
    )
    server.start()
    try:
        yield FuzzedServer(server, name)
    finally:
        server.stop()
        asyncio.run(drop_database(SHARED, name))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Print how many requests each fuzz test sent."""
    if RECORDED:
        total = sum(RECORDED.values())
        terminalreporter.write_line(f"fuzz requests: {total} ({dict(RECORDED)})")
