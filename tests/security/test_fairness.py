"""One student cannot crowd out the class: a budget of events and bytes per user, answered by 429."""

from __future__ import annotations

import pytest

from tests.conftest import make_event

from .conftest import post_events

pytestmark = pytest.mark.usefixtures("jp_serverapp")


@pytest.fixture
def jp_server_config(database_url):
    return {
        "ServerApp": {
            "jpserver_extensions": {"progress_tracker": True, "jupyter_server_terminals": False},
            "allow_unauthenticated_access": False,
            "identity_provider_class": "tests.security.students.StudentTokens",
        },
        "ProgressTracker": {"database_url": database_url},
        "EventIntake": {"user_events_per_minute": 150, "user_bytes_per_minute": 200_000},
    }


def token(name: str) -> dict[str, str]:
    return {"Authorization": f"token {name}"}


async def test_a_student_over_the_event_budget_gets_429_with_retry_after(jp_fetch):
    """Observation 3: one student put 33,000 events into the queue in 5 s."""
    batch = [make_event() for _ in range(100)]
    assert (await post_events(jp_fetch, batch, headers=token("student1")))[0] == 202
    status, reply, headers = await post_events(
        jp_fetch, [make_event() for _ in range(100)], headers=token("student1")
    )
    assert status == 429, reply
    assert 1 <= int(headers["Retry-After"]) <= 60
    assert "retry in" in reply["message"]
    status, _, _ = await post_events(jp_fetch, [make_event()], headers=token("student2"))
    assert status == 202, "the budget is per user"


async def test_a_student_over_the_byte_budget_gets_429(jp_fetch):
    big = [make_event(code="x" * 15_000) for _ in range(8)]  # about 120 kB
    assert (await post_events(jp_fetch, big, headers=token("student1")))[0] == 202
    status, _, headers = await post_events(jp_fetch, big, headers=token("student1"))
    assert status == 429
    assert int(headers["Retry-After"]) >= 1
