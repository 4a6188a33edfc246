"""One student's events change only that student's data: cells, notebooks, ids, the default view."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from progress_tracker.store.models import Cell, CellExecution, Notebook
from tests.conftest import make_event

from .conftest import call, post_events, runtime_of

pytestmark = pytest.mark.usefixtures("jp_serverapp")

HUB_USERS = {
    "student1": {"name": "student1", "groups": ["students"]},
    "student2": {"name": "student2", "groups": ["students"]},
    "student3": {"name": "student3", "groups": ["students"]},
}


@pytest.fixture
def jp_server_config(database_url):
    """A server whose users are hub-like students (token = user name) and the instructor `prof`."""
    return {
        "ServerApp": {
            "jpserver_extensions": {"progress_tracker": True, "jupyter_server_terminals": False},
            "allow_unauthenticated_access": False,
            "identity_provider_class": "tests.security.students.StudentTokens",
        },
        "ProgressTracker": {"database_url": database_url, "instructor_users": ["prof"]},
    }


def as_user(name: str) -> dict[str, str]:
    return {"Authorization": f"token {name}"}


async def post_as(jp_fetch, user: str, events):
    return await post_events(jp_fetch, events, headers=as_user(user))


async def scalar(jp_serverapp, stmt):
    runtime = await runtime_of(jp_serverapp).ready()
    async with runtime.engine.connect() as conn:
        return await conn.scalar(stmt)


async def snapshot(jp_fetch, notebook: str | None = None):
    params = {"notebook": notebook} if notebook is not None else {}
    status, body, _ = await call(
        jp_fetch, "api", "v1", "progress", params=params, headers=as_user("prof")
    )
    assert status == 200, body
    return body


async def test_an_event_with_only_the_required_fields_is_stored(jp_fetch, jp_serverapp):
    """Observation 1: a new cell without index or type made the writer raise KeyError."""
    minimal = {
        "eventId": "m1",
        "eventType": "cell_executed",
        "eventTime": "2026-12-01T00:00:00Z",
        "notebookPath": "a.ipynb",
        "cellId": "new-cell",
    }
    status, reply, _ = await post_as(jp_fetch, "student1", [minimal])
    assert status == 202, reply
    status, reply, _ = await post_as(jp_fetch, "student1", [{**minimal, "eventId": "m2"}])
    assert status == 202, reply
    assert await scalar(jp_serverapp, select(func.count()).select_from(CellExecution)) == 2


async def test_a_student_cannot_reorder_or_retype_the_class_cells(jp_fetch):
    """Observation 6: whoever ran last re-indexed and re-typed every student's cells."""
    notebook = "course/lab1.ipynb"
    for user in ("student1", "student2"):
        batch = [
            make_event(notebookPath=notebook, cellId=f"c{i}", cellIndex=i, cellType="code")
            for i in range(3)
        ]
        assert (await post_as(jp_fetch, user, batch))[0] == 202
    hostile = [
        make_event(notebookPath=notebook, cellId=f"c{i}", cellIndex=99 - i, cellType="raw")
        for i in range(3)
    ]
    assert (await post_as(jp_fetch, "student3", hostile))[0] == 202
    cells = (await snapshot(jp_fetch, notebook))["cells"]
    assert [(c["cellId"], c["cellIndex"], c["cellType"]) for c in cells] == [
        ("c0", 0, "code"),
        ("c1", 1, "code"),
        ("c2", 2, "code"),
    ]


async def test_reusing_another_students_event_id_does_not_shadow_their_event(
    jp_fetch, jp_serverapp
):
    """Observation 11: eventId was unique across users, so a copied id dropped the victim's event."""
    hostile = make_event(eventId="shared-id", code="mine")
    victim = make_event(eventId="shared-id", code="theirs", cellId="cell-b")
    assert (await post_as(jp_fetch, "student3", [hostile]))[0] == 202
    assert (await post_as(jp_fetch, "student1", [victim]))[0] == 202
    assert (await post_as(jp_fetch, "student1", [victim]))[0] == 202  # a retry is still one row
    status, body, _ = await call(
        jp_fetch,
        "api",
        "v1",
        "executions",
        params={"notebook": "course/lab1.ipynb"},
        headers=as_user("prof"),
    )
    assert status == 200
    stored = {(e["userId"], e["eventId"], e["code"]) for e in body["executions"]}
    assert stored == {("student3", "shared-id", "mine"), ("student1", "shared-id", "theirs")}


async def test_the_default_notebook_follows_the_class_not_a_client_clock(jp_fetch):
    """Observation 6: a fake notebook dated 9999 became every dashboard's default."""
    for user in ("student1", "student2"):
        status, _, _ = await post_as(jp_fetch, user, [make_event(notebookPath="course/lab1.ipynb")])
        assert status == 202
    future = make_event(notebookPath="fake.ipynb", eventTime="9999-12-31T23:59:59Z")
    assert (await post_as(jp_fetch, "student3", [future]))[0] == 202
    body = await snapshot(jp_fetch)
    assert body["notebook"] == "course/lab1.ipynb"
    assert body["notebooks"][0]["path"] == "course/lab1.ipynb"


async def test_the_notebooks_and_cells_one_student_can_create_are_bounded(jp_fetch, jp_serverapp):
    """Observation 6: one student added 5,000 columns to a real notebook and 100 notebooks."""
    many_cells = [make_event(cellId=f"x{i}", cellIndex=i) for i in range(100)]
    for start in range(0, 600, 100):
        batch = [{**e, "cellId": f"x{start + i}"} for i, e in enumerate(many_cells)]
        status, reply, _ = await post_as(jp_fetch, "student3", batch)
        if status != 202:
            break
    assert status == 422, reply
    assert reply["errors"][0]["field"] == "cellId"
    assert "cells" in reply["errors"][0]["error"]
    cells = await scalar(jp_serverapp, select(func.count()).select_from(Cell))
    assert cells <= 500
    notebooks = [make_event(notebookPath=f"n{i}.ipynb") for i in range(100)]
    status, reply, _ = await post_as(jp_fetch, "student3", notebooks)
    assert status == 422
    assert {e["field"] for e in reply["errors"]} == {"notebookPath"}
    assert await scalar(jp_serverapp, select(func.count()).select_from(Notebook)) == 1
    # others are not affected by one student's quota
    status, _, _ = await post_as(jp_fetch, "student1", [make_event(cellId="x599")])
    assert status == 202
