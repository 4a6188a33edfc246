"""The compact snapshot: the same states as the full form, no key per cell, in pages, gzipped."""

from __future__ import annotations

import gzip
import json

import pytest
from tornado.httpclient import HTTPClientError

from tests.server.test_dashboard_api import get, jp_server_config, load_classroom  # noqa: F401

INSTRUCTOR = {"Authorization": "token instructor-token"}


def expand(compact: dict) -> dict:
    """The full form of a compact snapshot, as a dashboard decodes it."""
    ids = [cell["cellId"] for cell in compact["cells"]]
    students = [
        {
            **{key: student[key] for key in ("userId", "lastActivity", "currentCellId")},
            "cells": {
                ids[column]: dict(zip(compact["fields"], values, strict=True))
                for column, *values in student["cells"]
            },
        }
        for page in compact["pages"]
        for student in page
    ]
    return {"cells": compact["cells"], "students": students}


async def test_the_compact_form_holds_the_same_states_as_the_full_one(jp_fetch):
    classroom = await load_classroom(jp_fetch)
    full = json.loads((await get(jp_fetch, "progress", notebook=classroom)).body)
    compact = json.loads((await get(jp_fetch, "progress", notebook=classroom, form="compact")).body)
    assert compact["form"] == "compact"
    assert compact["fields"] == [
        "status",
        "attempts",
        "errors",
        "lastError",
        "lastActivity",
        "executionCount",
    ]
    assert expand(compact) == {"cells": full["cells"], "students": full["students"]}
    assert compact["studentCount"] == 2
    for key in ("notebooks", "notebook", "liveFeed", "liveSeq", "lastEventId"):
        assert compact[key] == full[key]


async def test_each_line_of_the_compact_form_is_a_page_of_students(jp_fetch):
    classroom = await load_classroom(jp_fetch)
    body = (
        await get(jp_fetch, "progress", notebook=classroom, form="compact", pageSize="1")
    ).body.decode()
    head, *pages, end = body.splitlines()
    assert json.loads(head + "]}")["pageSize"] == 1
    assert [json.loads(page.lstrip(","))[0]["userId"] for page in pages] == [
        "student1",
        "student2",
    ]
    assert end == "]}"


async def test_a_snapshot_is_gzipped_for_clients_that_accept_it(jp_fetch):
    classroom = await load_classroom(jp_fetch)
    response = await jp_fetch(
        "api",
        "v1",
        "progress",
        params={"notebook": classroom, "form": "compact"},
        headers={**INSTRUCTOR, "Accept-Encoding": "gzip"},
        decompress_response=False,
    )
    assert response.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.body))["studentCount"] == 2


@pytest.mark.parametrize("params", [{"form": "tiny"}, {"form": "compact", "pageSize": "0"}])
async def test_a_bad_form_or_page_size_gets_400_saying_why(jp_fetch, params):
    with pytest.raises(HTTPClientError) as refused:
        await get(jp_fetch, "progress", **params)
    assert refused.value.code == 400
    assert json.loads(refused.value.response.body)["message"]
