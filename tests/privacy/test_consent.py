"""Notice and consent per course, and capture levels enforced by the server whatever is sent."""

from __future__ import annotations

from tests.conftest import make_event

from .conftest import decoded

pytestmark = __import__("pytest").mark.usefixtures("jp_serverapp")

FULL = {"code": "secret = 42", "errorMessage": "NameError: x", "result": "42", "hasError": True}


async def stored_executions(rows, user: str) -> list[dict]:
    return await rows(
        "SELECT e.code, e.error_message, e.result, e.metadata, e.has_error FROM cell_executions e "
        "JOIN students s ON s.id = e.student_id WHERE s.user_id = :user",
        user=user,
    )


async def test_a_notice_course_captures_everything_and_the_student_cannot_switch_it_off(api, rows):
    notice = decoded(await api("consent", "s3-token"))
    assert notice["course"] == "default" and notice["policy"] == "notice"
    assert notice["captureOn"] is True and notice["mayChoose"] is False
    assert {"code", "result", "errorMessage"} <= {f["field"] for f in notice["sent"]}
    refused = await api("consent", "s3-token", method="PUT", body={"capture": False})
    assert refused.code == 409
    assert decoded(refused)["errors"][0]["field"] == "capture"
    posted = await api("events", "s3-token", method="POST", body=[make_event(**FULL)])
    assert posted.code == 202
    [row] = await stored_executions(rows, "student3")
    assert row["code"] == "secret = 42" and row["result"] == "42"


async def test_an_opt_in_course_keeps_nothing_before_consent(api, rows):
    before = decoded(await api("consent", "s1-token"))
    assert before["policy"] == "opt-in" and before["captureOn"] is False
    assert before["choice"] is None and before["captureLevel"] == "metadata"
    answer = await api("events", "s1-token", method="POST", body=[make_event(), make_event()])
    assert answer.code == 202
    assert decoded(answer)["processed_count"] == 0 and decoded(answer)["ignored_count"] == 2
    assert await stored_executions(rows, "student1") == []
    assert await rows("SELECT * FROM students WHERE user_id = 'student1'") == []

    agreed = decoded(await api("consent", "s1-token", method="PUT", body={"capture": True}))
    assert agreed["captureOn"] is True and agreed["choice"] is True
    answer = await api("events", "s1-token", method="POST", body=[make_event(**FULL)])
    assert decoded(answer)["processed_count"] == 1


async def test_a_metadata_only_course_stores_no_code_even_from_a_hand_crafted_client(api, rows):
    await api("consent", "s1-token", method="PUT", body={"capture": True})
    crafted = make_event(**FULL, metadata={"code": "smuggled"})
    assert (await api("events", "s1-token", method="POST", body=[crafted])).code == 202
    [row] = await stored_executions(rows, "student1")
    assert (row["code"], row["error_message"], row["result"]) == (None, None, None)
    assert row["metadata"] in (None, "null")  # a JSON null
    assert row["has_error"]
    notice = decoded(await api("consent", "s1-token"))
    assert {"code", "result", "errorMessage", "metadata"} == set(notice["notSent"])


async def test_an_opt_out_student_s_events_stop_and_the_code_level_keeps_no_results(api, rows):
    assert decoded(await api("consent", "s2-token"))["captureOn"] is True
    await api("events", "s2-token", method="POST", body=[make_event(**FULL)])
    [row] = await stored_executions(rows, "student2")
    assert row["code"] == "secret = 42" and row["error_message"] == "NameError: x"
    assert row["result"] is None

    off = decoded(await api("consent", "s2-token", method="PUT", body={"capture": False}))
    assert off["captureOn"] is False and off["choice"] is False
    answer = await api("events", "s2-token", method="POST", body=[make_event(**FULL)])
    assert decoded(answer)["ignored_count"] == 1
    assert len(await stored_executions(rows, "student2")) == 1


async def test_the_dashboard_counts_opted_out_and_silent_students_without_naming_them(api):
    await api("consent?capturing=true", "s2-token")
    counts = decoded(await api("consent/counts?course=cs202", "prof-token"))
    assert counts["capturing"] == 1 and counts["optedOut"] == 0
    await api("consent", "s2-token", method="PUT", body={"capture": False})
    await api("consent?capturing=false", "s2-token")
    counts = decoded(await api("consent/counts?course=cs202", "prof-token"))
    assert counts["optedOut"] == 1 and counts["captureOff"] == 1 and counts["capturing"] == 0
    assert "student2" not in str(counts)
    await api("consent", "s1-token")  # known to cs101, its plugin never reported
    counts = decoded(await api("consent/counts?course=cs101", "prof-token"))
    assert counts["awaitingConsent"] == 1 and counts["notReporting"] == 1
    assert (await api("consent/counts?course=cs202", "s2-token")).code == 403


async def test_a_student_of_two_courses_has_a_notice_for_each_and_for_unattributed_work(api):
    # their events naming no assignment go to the implicit course, so its notice applies
    unattributed = decoded(await api("consent", "s4-token"))
    assert (unattributed["course"], unattributed["captureOn"]) == ("default", True)
    opt_in = decoded(await api("consent?course=cs101", "s4-token"))
    assert (opt_in["policy"], opt_in["captureOn"]) == ("opt-in", False)
    assert (await api("consent?course=cs999", "s4-token")).code == 403


async def test_bad_consent_requests_are_4xx_saying_what_is_wrong(api):
    not_json = await api("consent", "s2-token", method="PUT", body="capture")
    assert not_json.code == 400 and "JSON" in decoded(not_json)["message"]
    not_bool = await api("consent", "s2-token", method="PUT", body={"capture": "no"})
    assert not_bool.code == 422 and decoded(not_bool)["errors"][0]["field"] == "capture"
    other = await api(
        "consent", "s2-token", method="PUT", body={"capture": True, "course": "cs101"}
    )
    assert other.code == 403 and "cs101" in decoded(other)["message"]
    bad_report = await api("consent?capturing=maybe", "s2-token")
    assert bad_report.code == 400
    assert (await api("consent", "nobody")).code == 403
