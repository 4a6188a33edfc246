"""A student of several courses: one notice and one choice per course, and the collector keeps
each course's events only as that course's choice allows.

student4 is a student of cs101 (opt-in, metadata only) and cs202 (opt-out, code); their work
naming no assignment of theirs goes to the implicit course `default` (a notice).
"""

from __future__ import annotations

from tests.conftest import make_event
from tests.courses_like import lab_cells

from .conftest import decoded

pytestmark = __import__("pytest").mark.usefixtures("jp_serverapp")


async def publish(api, course: str) -> str:
    """Publish lab 1 in `course` as its instructor; the assignment id."""
    body = {
        "course": course,
        "title": "Lab 1",
        "path": f"{course}/lab1.ipynb",
        "cells": lab_cells(),
    }
    answer = await api("assignments", "prof-token", method="POST", body=body)
    assert answer.code in (200, 201), answer.body
    return decoded(answer)["assignmentId"]


def run_of(assignment: str, **fields):
    """A run of cell c3 of a published lab, as the capture plugin sends it."""
    return {
        **make_event(**{"cellId": "c3", "code": "total = 3", **fields}),
        "assignmentId": assignment,
    }


async def stored_by_course(rows, user: str) -> dict[str, int]:
    found = await rows(
        "SELECT e.course_id AS course, count(*) AS n FROM cell_executions e "
        "JOIN students s ON s.id = e.student_id WHERE s.user_id = :user GROUP BY e.course_id",
        user=user,
    )
    return {row["course"]: row["n"] for row in found}


async def test_a_student_of_two_courses_lists_a_notice_for_each_and_for_unattributed_work(api):
    answer = decoded(await api("consent/courses", "s4-token"))
    assert answer["home"] == "default"
    by_course = {notice["course"]: notice for notice in answer["courses"]}
    assert list(by_course) == ["cs101", "cs202", "default"]
    cs101, cs202, default = by_course["cs101"], by_course["cs202"], by_course["default"]
    assert (cs101["policy"], cs101["captureLevel"], cs101["captureOn"]) == (
        "opt-in",
        "metadata",
        False,
    )
    assert cs101["choice"] is None and cs101["mayChoose"] is True
    assert "code" in cs101["notSent"]
    assert (cs202["policy"], cs202["captureLevel"], cs202["captureOn"]) == ("opt-out", "code", True)
    assert "code" in {field["field"] for field in cs202["sent"]}
    assert (default["policy"], default["captureOn"], default["mayChoose"]) == (
        "notice",
        True,
        False,
    )
    # each notice is the one GET api/v1/consent?course= answers
    assert decoded(await api("consent?course=cs202", "s4-token")) == cs202


async def test_a_student_of_one_course_lists_only_it(api):
    answer = decoded(await api("consent/courses", "s1-token"))
    assert answer["home"] == "cs101"
    assert [notice["course"] for notice in answer["courses"]] == ["cs101"]


async def test_a_choice_is_saved_per_course_with_the_course_in_the_query(api):
    agreed = await api("consent?course=cs101", "s4-token", method="PUT", body={"capture": True})
    assert agreed.code == 200
    assert (decoded(agreed)["course"], decoded(agreed)["captureOn"]) == ("cs101", True)
    stopped = await api("consent?course=cs202", "s4-token", method="PUT", body={"capture": False})
    assert (decoded(stopped)["course"], decoded(stopped)["captureOn"]) == ("cs202", False)
    listed = decoded(await api("consent/courses", "s4-token"))["courses"]
    assert {n["course"]: (n["choice"], n["captureOn"]) for n in listed} == {
        "cs101": (True, True),
        "cs202": (False, False),
        "default": (None, True),
    }
    # the other student of cs101 chose nothing
    assert decoded(await api("consent?course=cs101", "s1-token"))["choice"] is None


async def test_bad_per_course_choices_are_4xx_saying_what_is_wrong(api):
    mixed = await api(
        "consent?course=cs101",
        "s4-token",
        method="PUT",
        body={"capture": True, "course": "cs202"},
    )
    assert mixed.code == 422 and decoded(mixed)["errors"][0]["field"] == "course"
    foreign = await api("consent?course=cs999", "s4-token", method="PUT", body={"capture": True})
    assert foreign.code == 403 and "cs999" in decoded(foreign)["message"]
    notice = await api("consent?course=default", "s4-token", method="PUT", body={"capture": False})
    assert notice.code == 409
    bad_report = await api("consent/courses?capturing=sometimes", "s4-token")
    assert bad_report.code == 400 and "capturing" in decoded(bad_report)["message"]
    assert (await api("consent/courses", "nobody")).code == 403


async def test_reporting_in_once_counts_the_student_in_every_course_as_its_state_says(api):
    await api("consent/courses?capturing=true", "s4-token")
    cs101 = decoded(await api("consent/counts?course=cs101", "prof-token"))
    cs202 = decoded(await api("consent/counts?course=cs202", "prof-token"))
    # cs101 waits for consent, so the plugin does not capture there; cs202 captures
    assert (cs101["students"], cs101["captureOff"], cs101["awaitingConsent"]) == (1, 1, 1)
    assert (cs202["students"], cs202["capturing"], cs202["captureOff"]) == (1, 1, 0)
    await api("consent?course=cs101", "s4-token", method="PUT", body={"capture": True})
    await api("consent/courses?capturing=true", "s4-token")
    cs101 = decoded(await api("consent/counts?course=cs101", "prof-token"))
    assert (cs101["capturing"], cs101["awaitingConsent"]) == (1, 0)
    await api("consent/courses?capturing=false", "s4-token")  # the plugin is switched off
    cs202 = decoded(await api("consent/counts?course=cs202", "prof-token"))
    assert (cs202["capturing"], cs202["captureOff"]) == (0, 1)


async def test_the_collector_keeps_each_courses_events_only_as_its_choice_allows(api, rows):
    cs101, cs202 = await publish(api, "cs101"), await publish(api, "cs202")
    batch = [run_of(cs101), run_of(cs202), make_event(cellId="loose")]
    answer = decoded(await api("events", "s4-token", method="POST", body=batch))
    # cs101 is opt-in and was not answered: its run is not kept; cs202 and default are
    assert (answer["processed_count"], answer["ignored_count"]) == (2, 1)
    assert await stored_by_course(rows, "student4") == {"cs202": 1, "default": 1}

    await api("consent?course=cs101", "s4-token", method="PUT", body={"capture": True})
    await api("consent?course=cs202", "s4-token", method="PUT", body={"capture": False})
    batch = [run_of(cs101, code="kept?"), run_of(cs202), make_event(cellId="loose")]
    answer = decoded(await api("events", "s4-token", method="POST", body=batch))
    assert (answer["processed_count"], answer["ignored_count"]) == (2, 1)
    assert await stored_by_course(rows, "student4") == {"cs101": 1, "cs202": 1, "default": 2}
    [kept] = await rows(
        "SELECT e.code FROM cell_executions e JOIN students s ON s.id = e.student_id "
        "WHERE s.user_id = 'student4' AND e.course_id = 'cs101'"
    )
    assert kept["code"] is None  # cs101 keeps metadata only
