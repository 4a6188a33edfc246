"""At intake the server's fields of an event come from the request, never from its body."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from progress_tracker.errors import InvalidEvents
from progress_tracker.events import Event, EventLimits
from progress_tracker.events.batch import parse_batch
from tests.conftest import make_event

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

CLAIMS = [
    {"userId": "mallory"},
    {"userId": None},
    {"userId": 17},
    {"userId": "x" * 10_000},
    {"receivedAt": "1999-01-01T00:00:00Z"},
    {"receivedAt": "not a time"},
    {"course": "cs101", "section": "A", "role": "instructor"},
    {"course": ["cs101"], "section": {"a": 1}, "role": 3},
]


def accepted(*events: dict) -> list[Event]:
    raw = json.dumps(list(events)).encode()
    return parse_batch(raw, user_id="alice", max_events=100, limits=EventLimits(), now=NOW)


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda claim: json.dumps(claim)[:40])
def test_what_a_body_claims_of_the_server_fields_is_ignored(claim):
    [event] = accepted(make_event(**claim))
    assert (event.user_id, event.received_at) == ("alice", NOW)
    assert (event.course, event.section, event.role) == (None, None, None)


def test_a_claim_beside_an_invalid_event_is_still_ignored_when_the_batch_is_explained():
    """The slow path, which names each invalid event, stamps the same way."""
    with pytest.raises(InvalidEvents) as refused:
        accepted(make_event(userId=17, course=["x"]), make_event(eventId="bad id!"))
    assert [error["index"] for error in refused.value.errors] == [1]
    assert refused.value.errors[0]["field"] == "eventId"


def test_an_event_read_back_must_carry_its_user_and_arrival():
    stored = accepted(make_event())[0]
    assert Event.from_json(stored.to_json()) == stored
    bare = json.dumps(make_event())
    with pytest.raises(ValueError, match="userId and receivedAt"):
        Event.from_json(bare)
