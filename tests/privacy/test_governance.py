"""Audit log, subject rights and the ProgSnap2 export of a storing server."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import make_event

from .conftest import decoded
from .progsnap2_spec import problems

pytestmark = pytest.mark.usefixtures("jp_serverapp")


async def test_reads_of_students_data_are_in_the_audit_log_only_admins_see(api):
    await api("progress?notebook=course/lab1.ipynb", "prof-token")
    await api("executions?user=student3", "prof-token")
    await api("export.csv", "prof-token")
    entries = decoded(await api("audit", "admin-token"))["entries"]
    seen = [(e["actor"], e["action"], e["course"], e["target"]) for e in entries]
    assert seen == [
        ("prof", "export", "default", None),
        ("prof", "timeline", "default", "student3"),
        ("prof", "dashboard", "default", "course/lab1.ipynb"),
    ]
    assert all(e["at"].endswith("+00:00") for e in entries)
    assert decoded(await api("audit?actor=nobody", "admin-token"))["entries"] == []
    assert (await api("audit", "prof-token")).code == 403
    assert (await api("audit", "s3-token")).code == 403
    assert (await api("audit?limit=0", "admin-token")).code == 400


async def test_a_student_s_data_is_exported_then_erased_and_nobody_else_s(api, rows):
    mine = [make_event(code="print(1)"), make_event(eventType="notebook_opened")]
    await api("events", "s3-token", method="POST", body=mine)
    await api("consent", "s2-token", method="PUT", body={"capture": True})
    await api("events", "s2-token", method="POST", body=[make_event()])
    await api("executions?user=student3", "prof-token")

    export = decoded(await api("subject?user=student3", "admin-token"))
    database = export["database"]
    assert [r["user_id"] for r in database["students"]] == ["student3"]
    assert [r["code"] for r in database["cell_executions"]] == ["print(1)"]
    assert [r["event_type"] for r in database["notebook_events"]] == ["notebook_opened"]
    # the timeline read, and this export itself (recorded before the data is read)
    assert sorted(e["action"] for e in database["audit_log"]) == ["subject-export", "timeline"]
    assert (await api("subject?user=student3", "prof-token")).code == 403

    unconfirmed = await api("subject?user=student3", "admin-token", method="DELETE")
    assert unconfirmed.code == 409 and "confirm" in decoded(unconfirmed)["message"]
    erased = await api("subject?user=student3&confirm=student3", "admin-token", method="DELETE")
    report = decoded(erased)
    assert report["database"]["cell_executions"] == 1
    assert report["database"]["notebook_events"] == 1
    for table in ("cell_executions", "notebook_events", "consents"):
        assert (
            await rows(
                f"SELECT * FROM {table} t JOIN students s ON s.user_id = 'student3'"
                if table != "consents"
                else "SELECT * FROM consents WHERE user_id = 'student3'"
            )
            == []
        )
    assert await rows("SELECT * FROM students WHERE user_id = 'student3'") == []
    assert (
        await rows("SELECT * FROM audit_log WHERE actor = 'student3' OR target = 'student3'") == []
    )
    actions = await rows("SELECT action, target FROM audit_log WHERE action LIKE 'subject%'")
    assert {a["action"] for a in actions} == {"subject-export", "subject-erase"}
    assert all(a["target"].startswith("erased-") for a in actions if a["action"] == "subject-erase")
    assert len(await rows("SELECT * FROM students WHERE user_id = 'student2'")) == 1
    again = decoded(await api("subject?user=student3", "admin-token"))["database"]
    assert all(table == [] for name, table in again.items() if name != "audit_log")


async def test_the_progsnap2_export_is_a_valid_dataset_with_pseudonymous_subjects(api):
    await api(
        "events",
        "s3-token",
        method="POST",
        body=[
            make_event(code="x = 1", eventTime="2026-11-30T10:00:00Z"),
            make_event(
                code="print(y)",
                hasError=True,
                errorMessage="NameError: name 'y' is not defined",
                eventTime="2026-11-30T10:01:00Z",
            ),
            make_event(
                code="if x",
                hasError=True,
                errorMessage="SyntaxError: invalid syntax",
                eventTime="2026-11-30T10:02:00Z",
            ),
            make_event(code="x = 1", eventTime="2026-11-30T10:03:00Z"),
        ],
    )
    response = await api("progsnap2.zip", "prof-token")
    assert response.code == 200 and response.headers["Content-Type"] == "application/zip"
    assert problems(response.body) == []
    archive = zipfile.ZipFile(io.BytesIO(response.body))
    main = list(csv.DictReader(io.TextIOWrapper(archive.open("MainTable.csv"), encoding="utf-8")))
    assert [row["EventType"] for row in main] == [
        "Run.Program",
        "Run.Program",
        "Run.Error",
        "Run.Program",
        "Compile.Error",
        "Run.Program",
    ]
    assert [row["ExecutionResult"] for row in main if row["EventType"] == "Run.Program"] == [
        "Success",
        "Error",
        "Error",
        "Success",
    ]
    assert main[2]["ParentEventID"] == main[1]["EventID"]
    assert main[2]["CompileMessageType"] == "NameError"
    assert main[0]["CodeStateID"] == main[5]["CodeStateID"] != main[1]["CodeStateID"]
    subjects = {row["SubjectID"] for row in main}
    assert len(subjects) == 1 and "student3" not in subjects.pop()
    assert [e["action"] for e in decoded(await api("audit", "admin-token"))["entries"]] == [
        "progsnap2"
    ]
    assert (await api("progsnap2.zip", "s3-token")).code == 403
    assert (await api("progsnap2.zip?course=Not%20a%20course", "prof-token")).code == 400


def privacy_cli(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "progress_tracker.privacy", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


async def test_the_command_line_prints_what_a_purge_would_delete_then_erases_a_student(
    api, rows, database_url, tmp_path
):
    await api(
        "events",
        "s3-token",
        method="POST",
        body=[make_event(eventTime=(datetime.now(UTC) - timedelta(days=40)).isoformat())],
    )
    config = tmp_path / "jupyter_server_config.py"
    config.write_text("c.Privacy.retention_days = 30\n")
    dry = await asyncio.to_thread(
        privacy_cli, "--config", str(config), "--database-url", database_url, "purge", "--dry-run"
    )
    assert dry["dryRun"] is True
    assert dry["courses"][0]["rows"] == {
        "cell_executions": 1,
        "notebook_events": 0,
        "help_entries": 0,
    }
    assert len(await rows("SELECT * FROM cell_executions")) == 1  # a dry run deletes nothing

    await api("events", "s3-token", method="POST", body=[make_event()])
    exported = await asyncio.to_thread(
        privacy_cli, "--database-url", database_url, "export", "student3"
    )
    assert exported["database"]["students"][0]["user_id"] == "student3"
    erased = await asyncio.to_thread(
        privacy_cli, "--database-url", database_url, "erase", "student3", "--yes"
    )
    assert erased["database"]["students"] == 1
    assert await rows("SELECT * FROM students WHERE user_id = 'student3'") == []


async def test_an_erased_student_is_not_replayed_to_a_reconnecting_dashboard(api, jp_ws_fetch):
    before = decoded(await api("progress?notebook=lab.ipynb", "admin-token"))
    await api("events", "s3-token", method="POST", body=[make_event(notebookPath="lab.ipynb")])
    others = make_event(notebookPath="lab.ipynb")
    await api("consent", "s2-token", method="PUT", body={"capture": True})
    await api("events", "s2-token", method="POST", body=[others])
    erased = await api("subject?user=student3&confirm=student3", "admin-token", method="DELETE")
    assert decoded(erased)["liveReplay"] == 1
    ws = await jp_ws_fetch(
        "api",
        "v1",
        "ws",
        params={"feed": before["liveFeed"], "after": str(before["liveSeq"])},
        headers={"Authorization": "token admin-token"},
    )
    replayed = []
    while (message := json.loads(await asyncio.wait_for(ws.read_message(), 60)))["type"] == (
        "events"
    ):
        replayed += message["events"]
    ws.close()
    assert [e["userId"] for e in replayed] == ["student2"]
    assert [e["eventId"] for e in replayed] == [others["eventId"]]
