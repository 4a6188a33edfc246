"""Two courses under different privacy policies on a real hub (groups `<course>-students`).

cs301 is opt-in and keeps metadata only; cs202 is opt-out and keeps code but no results
(tests/hub/jupyterhub_config.py). Students talk to their own servers, which relay consent and
forward events to the collector; what the collector stored is read in its database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from tests.conftest import make_event
from tests.waiting import wait_until

pytestmark = pytest.mark.hub

CRAFTED = {"code": "secret = 42", "errorMessage": "NameError: x", "result": "42", "hasError": True}


@pytest.fixture(scope="module")
def course_students(hub) -> dict[str, str]:
    """student3 (cs301) and student4 (cs202), with running servers and tokens."""
    hub.spawn("student3", "student4")
    return {user: hub.token_for(user) for user in ("student3", "student4")}


def own_server(hub, user: str, token: str, method: str, path: str, **kwargs: Any):
    return requests.request(
        method,
        f"{hub.server_url(user)}api/v1/{path}",
        headers=hub.auth(token),
        timeout=60,
        **kwargs,
    )


def executions_of(hub, user: str) -> list[Any]:
    return hub.stored(
        "SELECT e.event_id, e.code, e.error_message, e.result FROM cell_executions e"
        " JOIN students s ON s.id = e.student_id WHERE s.user_id = $1 ORDER BY e.id",
        user,
    )


def test_an_opt_in_course_keeps_nothing_before_consent_and_no_code_after(hub, course_students):
    token = course_students["student3"]
    notice = own_server(hub, "student3", token, "GET", "consent").json()
    assert (notice["course"], notice["policy"], notice["captureOn"]) == ("cs301", "opt-in", False)
    before = own_server(hub, "student3", token, "POST", "events", json=[make_event(**CRAFTED)])
    assert before.status_code == 202
    assert hub.stored("SELECT * FROM students WHERE user_id = 'student3'") == []

    agreed = own_server(hub, "student3", token, "PUT", "consent", json={"capture": True})
    assert agreed.status_code == 200 and agreed.json()["captureOn"] is True
    crafted = make_event(**CRAFTED, metadata={"code": "smuggled"})
    assert own_server(hub, "student3", token, "POST", "events", json=[crafted]).status_code == 202
    wait_until(lambda: executions_of(hub, "student3"), "student3's run after consent")
    [row] = executions_of(hub, "student3")
    assert row["event_id"] == crafted["eventId"]
    assert (row["code"], row["error_message"], row["result"]) == (None, None, None)


def test_an_opt_out_student_s_events_stop_and_the_dashboard_counts_them(hub, course_students):
    token = course_students["student4"]
    on = own_server(hub, "student4", token, "GET", "consent", params={"capturing": "true"}).json()
    assert (on["course"], on["policy"], on["captureOn"]) == ("cs202", "opt-out", True)
    first = make_event(**CRAFTED)
    own_server(hub, "student4", token, "POST", "events", json=[first])
    wait_until(lambda: executions_of(hub, "student4"), "student4's first run")
    [row] = executions_of(hub, "student4")
    assert (row["code"], row["result"]) == ("secret = 42", None)  # code level: no results

    counts_url = f"{hub.service_url}api/v1/consent/counts"
    # cs202 has no instructors of its own here: a hub administrator reads its counts
    instructor = hub.auth(hub.token_for("hubadmin"))
    counts = requests.get(counts_url, params={"course": "cs202"}, headers=instructor, timeout=60)
    assert counts.json()["capturing"] == 1 and counts.json()["optedOut"] == 0

    off = own_server(hub, "student4", token, "PUT", "consent", json={"capture": False})
    assert off.json()["captureOn"] is False
    own_server(hub, "student4", token, "GET", "consent", params={"capturing": "false"})
    stopped_at = datetime.now(UTC)
    after = make_event(eventTime=stopped_at.isoformat())
    assert own_server(hub, "student4", token, "POST", "events", json=[after]).status_code == 202
    counts = requests.get(counts_url, params={"course": "cs202"}, headers=instructor, timeout=60)
    assert counts.json()["optedOut"] == 1 and counts.json()["captureOff"] == 1
    assert "student4" not in counts.text
    assert [r["event_id"] for r in executions_of(hub, "student4")] == [first["eventId"]]
    student_asks = requests.get(counts_url, headers=hub.auth(token), timeout=60)
    assert student_asks.status_code == 403


def test_a_students_own_server_lists_their_courses_and_saves_a_choice_by_course(
    hub, course_students
):
    token = course_students["student4"]
    listed = own_server(hub, "student4", token, "GET", "consent/courses").json()
    assert listed["home"] == "cs202"
    assert [(n["course"], n["policy"]) for n in listed["courses"]] == [("cs202", "opt-out")]
    again = own_server(
        hub, "student4", token, "PUT", "consent", params={"course": "cs202"}, json={"capture": True}
    )
    assert again.status_code == 200 and again.json()["captureOn"] is True
    foreign = own_server(
        hub, "student4", token, "PUT", "consent", params={"course": "cs301"}, json={"capture": True}
    )
    assert foreign.status_code == 403
    run = make_event()
    answer = own_server(hub, "student4", token, "POST", "events", json=[run]).json()
    assert answer["processed_count"] == 1 and "ignored_count" not in answer
    wait_until(
        lambda: run["eventId"] in [r["event_id"] for r in executions_of(hub, "student4")],
        "student4's run after capture was allowed again",
    )
