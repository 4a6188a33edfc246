"""Fixtures shared by every test: a real Jupyter server with the extension, on a private database."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

pytest_plugins = ["pytest_jupyter.jupyter_server"]

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip a test whose service is missing; under CI a missing service fails the run."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required by CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def database_url(tmp_path) -> str:
    """A private SQLite database per test."""
    return f"sqlite+aiosqlite:///{tmp_path}/progress.sqlite"


@pytest.fixture
def tracker_config() -> dict[str, Any]:
    """Extra `ProgressTracker` options a test module may override."""
    return {}


@pytest.fixture
def jp_server_config(database_url, tracker_config):
    """Enable the extension on the test server, with authentication required everywhere."""
    return {
        "ServerApp": {
            "jpserver_extensions": {"progress_tracker": True, "jupyter_server_terminals": False},
            "allow_unauthenticated_access": False,
        },
        "ProgressTracker": {
            "database_url": database_url,
            "owner_name": "teacher",
            **tracker_config,
        },
    }


def make_event(**overrides: Any) -> dict[str, Any]:
    """A valid cell_executed event in the seed schema (camelCase)."""
    event = {
        "eventId": f"evt-{uuid.uuid4().hex}",
        "eventType": "cell_executed",
        "eventTime": datetime.now(UTC).isoformat(),
        "notebookPath": "course/lab1.ipynb",
        "cellId": "cell-a",
        "cellIndex": 0,
        "cellType": "code",
        "code": "print('hello')",
        "executionCount": 1,
        "hasError": False,
        "errorMessage": None,
        "result": "hello",
        "executionDurationMs": 12.5,
        "metadata": {"kernel": "python3"},
    }
    event.update(overrides)
    return event


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the check of the development install after every other test."""
    last = [item for item in items if item.path.name == "test_zz_dev_install.py"]
    items[:] = [item for item in items if item not in last] + last
