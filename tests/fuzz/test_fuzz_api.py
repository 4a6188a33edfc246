"""Ten thousand generated requests against a real server: no 5xx, and exactly what got 202 stored.

Every refused batch leaves nothing behind; every event of a 202 is stored exactly once in
PostgreSQL; the server stays up. Deterministic (derandomized, no example database), so a run
is reproducible and never flaky.
"""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile_events import batches, body_of, hostile_text, nested_json_body

from .conftest import STUDENTS

VALID_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,128}$")


def examples(count: int):
    return settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def event_keys(user: str, batch) -> set[tuple[str, str]]:
    """(user, eventId) of each well-formed id a batch carries."""
    ids = {e.get("eventId") for e in batch if isinstance(e, dict)}
    return {(user, i) for i in ids if isinstance(i, str) and VALID_ID.match(i)}


def test_generated_batches_are_stored_exactly_once_or_refused_without_a_trace(fuzzed):
    @examples(6000)
    @given(batch=batches, user=st.sampled_from(STUDENTS))
    def post(batch, user):
        response = fuzzed.request(
            "batches", "POST", "api/v1/events", token=user, data=body_of(batch)
        )
        if response.status_code == 202:
            assert response.json()["processed_count"] == len(batch)
            fuzzed.ledger.accepted |= event_keys(user, batch)
        else:
            assert response.json()["message"]
            fuzzed.ledger.refused |= event_keys(user, batch)

    post()
    assert fuzzed.alive()
    stored = fuzzed.stored_counts()
    assert {key: stored[key] for key in fuzzed.ledger.accepted if stored[key] != 1} == {}
    never_accepted = fuzzed.ledger.refused - fuzzed.ledger.accepted
    assert never_accepted & set(stored) == set()


raw_bodies = st.one_of(
    st.binary(max_size=300),
    hostile_text.map(lambda text: text.encode("utf-8", "surrogatepass")),
    nested_json_body,
    st.integers(0, 3000).map(lambda n: b"[" + b"{}," * n + b"{}]"),
    st.sampled_from([b"", b"null", b"{}", b'{"events": 1}', b"[1, 2]", b"[NaN]", b"\xff\xfe"]),
)


def test_arbitrary_bodies_get_a_4xx_reason(fuzzed):
    @examples(1500)
    @given(body=raw_bodies, user=st.sampled_from(STUDENTS))
    def post(body, user):
        response = fuzzed.request("bodies", "POST", "api/v1/events", token=user, data=body)
        if response.status_code != 202:
            assert response.json()["message"]

    post()
    assert fuzzed.alive()


ENDPOINTS = ["progress", "executions", "errors", "pace", "export.csv", "health", "deadletters"]
PARAMETERS = ["notebook", "user", "since", "until", "limit", "bucket", "pseudonymise"]
query_values = st.one_of(
    hostile_text,
    st.sampled_from(["", "lab1.ipynb", "0", "-1", "10", "99999999999999999999", "2026-01-01"]),
    st.sampled_from(["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "2040-01-01"]),
    st.datetimes().map(lambda moment: moment.isoformat()),
)


def test_instructor_queries_with_any_arguments_answer_without_a_server_error(fuzzed):
    @examples(2500)
    @given(
        endpoint=st.sampled_from(ENDPOINTS),
        params=st.dictionaries(st.sampled_from(PARAMETERS), query_values, max_size=4),
        as_student=st.booleans(),
    )
    def get(endpoint, params, as_student):
        token = STUDENTS[0] if as_student else fuzzed.owner_token
        clean = {k: v.encode("utf-8", "surrogatepass") for k, v in params.items()}
        response = fuzzed.request("queries", "GET", f"api/v1/{endpoint}", token=token, params=clean)
        if as_student:
            assert response.status_code == 403
        elif response.status_code == 200 and endpoint != "export.csv":
            json.loads(response.text)

    get()
    assert fuzzed.alive()
