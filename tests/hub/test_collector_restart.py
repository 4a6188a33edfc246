"""A collector that dies and is restarted by the hub loses nothing it acknowledged.

A 202 means the batch is in the collector's Redis stream; after the restart its consumers
store every acknowledged event in PostgreSQL, once.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import uuid

import pytest
import requests

from tests.conftest import make_event
from tests.hub.conftest import Hub
from tests.waiting import SERVICE_DEADLINE_S, wait_until

pytestmark = pytest.mark.hub


class Student(threading.Thread):
    """Posts batches through the student's server like the browser does: retry until 202."""

    def __init__(self, hub: Hub, token: str, notebook: str) -> None:
        super().__init__(daemon=True)
        self.url = f"{hub.server_url('student1')}api/v1/events"
        self.token = token
        self.notebook = notebook
        self.acknowledged: list[str] = []
        self.statuses: list[int] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        batch_number = 0
        while not self.stopping.is_set():
            batch = [
                make_event(notebookPath=self.notebook, cellId=f"c{batch_number}-{i}")
                for i in range(5)
            ]
            batch_number += 1
            while not self.stopping.is_set():
                status = self.post(batch)
                self.statuses.append(status)
                if status == 202:
                    self.acknowledged.extend(event["eventId"] for event in batch)
                    break
                time.sleep(0.2)
            time.sleep(0.05)

    def post(self, batch: list[dict]) -> int:
        try:
            response = requests.post(
                self.url, data=json.dumps(batch), headers=Hub.auth(self.token), timeout=30
            )
        except requests.RequestException:
            return 0
        if response.status_code == 503:
            assert response.headers.get("Retry-After")
        return response.status_code


def test_killing_the_collector_loses_no_acknowledged_event(hub, tokens):
    notebook = f"course/{uuid.uuid4().hex[:8]}.ipynb"
    student = Student(hub, tokens["student1"], notebook)
    student.start()
    try:
        wait_until(lambda: len(student.acknowledged) >= 20, "events flow before the kill")
        os.kill(hub.collector_pid(), signal.SIGKILL)
        wait_until(lambda: 503 in student.statuses, "the student's server answers 503")
        hub.wait_for_collector()  # the hub restarts its managed service
        after_restart = len(student.acknowledged)
        wait_until(lambda: len(student.acknowledged) >= after_restart + 20, "events flow again")
    finally:
        student.stopping.set()
        student.join(timeout=SERVICE_DEADLINE_S)
    assert not student.is_alive()
    assert set(student.statuses) <= {202, 503}
    acknowledged = set(student.acknowledged)
    stored = hub.stored_event_ids(notebook, expected=len(acknowledged))
    assert len(stored) == len(set(stored))
    assert acknowledged <= set(stored)
