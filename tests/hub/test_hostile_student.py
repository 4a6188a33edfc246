"""A hostile student on a real hub: nothing they send stops, floods or opens up the collector."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest
import requests

from tests.conftest import make_event
from tests.hub.conftest import Hub
from tests.waiting import wait_until

pytestmark = pytest.mark.hub


def post(url: str, token: str, events, **kwargs) -> requests.Response:
    return requests.post(
        f"{url}api/v1/events",
        data=events if isinstance(events, bytes) else json.dumps(events),
        headers=Hub.auth(token),
        timeout=60,
        **kwargs,
    )


class Spaces:
    """A body of `size` spaces, read as it is sent (never held in memory) with a Content-Length."""

    def __init__(self, size: int):
        self.left = size

    def __len__(self) -> int:
        return self.left

    def read(self, amount: int = 1024 * 1024) -> bytes:
        chunk = min(self.left, amount if amount and amount > 0 else 1024 * 1024)
        self.left -= chunk
        return b" " * chunk


def open_files(pid: int) -> int:
    return len(list(Path(f"/proc/{pid}/fd").iterdir()))


def test_an_event_with_only_the_required_fields_is_stored_and_storage_goes_on(hub, tokens):
    """Observation 1: such an event killed the database consumer; later events got 202 and
    were never stored."""
    notebook = f"course/{uuid.uuid4().hex[:8]}.ipynb"
    minimal = {
        "eventId": f"m-{uuid.uuid4().hex[:8]}",
        "eventType": "cell_executed",
        "eventTime": "2026-12-01T00:00:00Z",
        "notebookPath": notebook,
        "cellId": "new-cell",
    }
    assert post(hub.service_url, tokens["student1"], [minimal]).status_code == 202
    after = make_event(notebookPath=notebook, cellId="c2")
    assert post(hub.server_url("student1"), tokens["student1"], [after]).status_code == 202
    assert len(hub.stored_event_ids(notebook, expected=2)) == 2


def test_nul_characters_are_stored_replaced_and_hold_nobody_back(hub, tokens):
    """Observation 2: NUL in notebookPath or cellId got 202, PostgreSQL refused it, and the
    isolation of the poison held the class's storage back for minutes."""
    notebook = f"course/{uuid.uuid4().hex[:8]}.ipynb"
    poison = [
        make_event(notebookPath=f"{notebook}\x00x", cellId="a\x00b"),
        make_event(notebookPath=notebook, cellId="c\x00d"),
    ]
    assert post(hub.service_url, tokens["student1"], poison).status_code == 202
    clean = make_event(notebookPath=notebook, cellId="c2")
    assert post(hub.server_url("student2"), tokens["student2"], [clean]).status_code == 202
    assert len(hub.stored_event_ids(notebook, expected=2)) == 2
    assert len(hub.stored_event_ids(f"{notebook}\ufffdx", expected=1)) == 1
    cells = hub.stored(
        "SELECT c.cell_id FROM cells c JOIN notebooks n ON n.id = c.notebook_id WHERE n.path = $1",
        notebook,
    )
    assert {row["cell_id"] for row in cells} == {"c\ufffdd", "c2"}


def test_a_student_reusing_another_students_event_id_shadows_nothing(hub, tokens):
    """Observation 11: eventId was unique across users; a reused id dropped the victim's event."""
    notebook = f"course/{uuid.uuid4().hex[:8]}.ipynb"
    shared = f"copied-{uuid.uuid4().hex[:8]}"
    first = make_event(eventId=shared, notebookPath=notebook, code="hostile")
    assert post(hub.server_url("student2"), tokens["student2"], [first]).status_code == 202
    victim = make_event(eventId=shared, notebookPath=notebook, code="own work")
    assert post(hub.server_url("student1"), tokens["student1"], [victim]).status_code == 202
    assert hub.stored_event_ids(notebook, expected=2) == [shared, shared]
    rows = hub.stored(
        "SELECT s.user_id, e.code FROM cell_executions e JOIN students s ON s.id = e.student_id"
        " WHERE e.event_id = $1 ORDER BY s.user_id",
        shared,
    )
    assert [tuple(row) for row in rows] == [("student1", "own work"), ("student2", "hostile")]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "api/resolvePath?path=collector.log"),
        ("GET", "api/spec.yaml"),
        ("HEAD", "api/spec.yaml"),
        ("GET", "lab/api/licenses/"),
        ("GET", "metrics"),
    ],
)
def test_the_collector_refuses_everything_outside_its_allow_list(hub, tokens, method, path):
    """Observation 12: a file-existence oracle, the API spec (HEAD: 500) and a page that never
    answered were reachable by every student."""
    response = requests.request(
        method, f"{hub.service_url}{path}", headers=Hub.auth(tokens["student1"]), timeout=30
    )
    assert response.status_code == 403, (method, path, response.status_code)


def test_many_requests_to_a_refused_page_hold_no_connections(hub, tokens):
    """Observation 12: 200 requests to lab/api/licenses/ held 217 file descriptors."""
    pid = hub.collector_pid()
    before = open_files(pid)

    def licenses(_: int) -> int:
        url = f"{hub.service_url}lab/api/licenses/"
        return requests.get(url, headers=Hub.auth(tokens["student1"]), timeout=30).status_code

    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(licenses, range(200)))
    assert set(statuses) == {403}
    assert open_files(pid) < before + 20


def test_a_huge_body_is_refused_without_growing_the_collector(hub, tokens):
    """Observation 4: a 300 MB POST raised the collector from 583 MB to 1,178 MB RSS.

    Straight to the collector the answer is 413; through the hub's proxy, which is still sending
    the body when the collector closes the connection, it may be the proxy's 503.
    """
    collector = psutil.Process(hub.collector_pid())
    before = collector.memory_info().rss
    direct = f"http://127.0.0.1:{hub.service_port}/services/progress-tracker/"
    for url, expected in ((direct, {413}), (hub.service_url, {413, 503})):
        try:
            response = requests.post(
                f"{url}api/v1/events",
                data=Spaces(300 * 1024 * 1024),
                headers=Hub.auth(tokens["student1"]),
                timeout=120,
            )
            assert response.status_code in expected, (url, response.status_code)
        except requests.ConnectionError:
            pass  # the collector answered and closed the connection while the body was sent
    assert collector.memory_info().rss - before < 50 * 1024 * 1024


def test_a_flooding_student_gets_429_and_retry_after_through_the_own_server(hub, tokens):
    """Observation 3: one student put 33,000 events / 680 MB into Redis in 5 s."""
    notebook = f"course/{uuid.uuid4().hex[:8]}.ipynb"
    statuses = []
    for _ in range(30):
        batch = [make_event(notebookPath=notebook, cellId=f"c{i}") for i in range(100)]
        response = post(hub.server_url("student2"), tokens["student2"], batch)
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    assert statuses[-1] == 429, statuses
    assert set(statuses[:-1]) == {202}
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    accepted = 100 * (len(statuses) - 1)
    assert len(hub.stored_event_ids(notebook, expected=accepted)) == accepted
    # the budget refills: the student may send again
    wait_until(
        lambda: (
            post(hub.server_url("student2"), tokens["student2"], [make_event()]).status_code == 202
        ),
        "the flooding student's budget to refill",
        interval=0.5,
    )
