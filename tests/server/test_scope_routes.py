"""Every dashboard route reads only the caller's scope: their courses, and a TA's section.

The route table below must name every route `handler_routes()` serves: a new route fails here
until it says how it is scoped and is probed like the others.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from progress_tracker.handlers import handler_routes
from progress_tracker.handlers.base import ACCESS_LEVELS
from tests.courses_like import auth, call, course_server_config, publish, run, send

# route -> (access, the query a probe sends); "{a}" is an assignment of cs101.
PROBES = {
    "api/v1/events": ("caller", None),
    "api/v1/me": ("caller", None),
    "api/v1/settings": ("caller", None),
    "api/v1/courses": ("caller", None),
    "api/v1/progress": ("scope", {"notebook": "shared.ipynb"}),
    "api/v1/executions": ("scope", {"notebook": "shared.ipynb"}),
    "api/v1/errors": ("scope", {"notebook": "shared.ipynb"}),
    "api/v1/pace": ("scope", {"notebook": "shared.ipynb"}),
    "api/v1/export.csv": ("scope", {"notebook": "shared.ipynb"}),
    "api/v1/assignments": ("scope", {}),
    "api/v1/assignments/([^/]+)": ("scope", None),
    "api/v1/health": ("staff", {}),
    "api/v1/deadletters": ("admin", {}),
    "api/v1/ws": ("scope", None),  # probed by test_the_live_socket_carries_only_the_scope
    "api/v1/consent": ("caller", None),
    # one course each: probed by test_course_counts_and_datasets_are_their_staffs
    "api/v1/consent/counts": ("scope", None),
    "api/v1/progsnap2.zip": ("scope", None),
    "api/v1/audit": ("admin", {}),
    "api/v1/subject": ("admin", None),  # tests/server/test_governance*.py
    "api/v1/consent/courses": ("caller", None),  # tests/privacy/test_consent_courses.py
    # the help queue: probed by tests/server/test_help_queue.py (hands raised, not runs)
    "api/v1/help": ("scope", None),
    "api/v1/help/mine": ("caller", None),
    "api/v1/help/([^/]+)/claim": ("scope", None),
    "api/v1/help/([^/]+)/resolve": ("scope", None),
    "api/v1/cells/latest": ("scope", {"notebook": "shared.ipynb", "cell": "c1"}),
    "api/v1/replay": ("scope", {"notebook": "shared.ipynb"}),
}
# Who sees whom in the data the tests send.
SEES = {
    "prof101": {"s101a", "s101b", "sboth"},
    "ta101a": {"s101a", "sboth"},
    "prof102": {"s102"},
    "boss": {"s101a", "s101b", "s102", "sboth"},
}
STUDENTS = {"s101a", "s101b", "s102", "sboth"}


@pytest.fixture
def jp_server_config(database_url):
    return course_server_config(database_url)


def runtime_of(jp_serverapp):
    return next(iter(jp_serverapp.extension_manager.extension_apps["progress_tracker"])).runtime


def test_every_route_says_how_it_is_scoped_and_is_probed(jp_serverapp):
    routes = handler_routes(runtime_of(jp_serverapp))
    assert {pattern for pattern, *_ in routes} == set(PROBES), "add the new route to PROBES"
    for pattern, handler, _ in routes:
        assert handler.access in ACCESS_LEVELS, pattern
        assert handler.access == PROBES[pattern][0], pattern


def test_a_users_server_relays_every_dashboard_route_to_the_collector(tmp_path):
    from progress_tracker.access.mode import Role
    from progress_tracker.runtime import Runtime
    from progress_tracker.settings import Settings

    def patterns(mode: str) -> set[str]:
        runtime = Runtime(Settings(role=Role(mode), data_dir=tmp_path))
        return {pattern for pattern, *_ in handler_routes(runtime)}

    # the dead letters are the operators', on the collector itself
    assert patterns("collector") - patterns("forwarder") == {"api/v1/deadletters"}


async def load_three_students_in_two_courses(jp_fetch):
    """s101a (cs101 a), s101b (cs101 b), s102 (cs102) and sboth (cs101 a and cs102, so the
    implicit course for an unpublished notebook) fail the same cell of one notebook."""
    for student in STUDENTS:
        await send(
            jp_fetch,
            student,
            run("c1", path="shared.ipynb", hasError=True, errorMessage=f"Err {student}"),
        )


@pytest.mark.parametrize("caller", sorted(SEES))
async def test_each_scoped_route_shows_exactly_the_callers_students(jp_fetch, caller):
    await load_three_students_in_two_courses(jp_fetch)
    await publish(jp_fetch)
    expected = SEES[caller] - ({"sboth"} if caller != "boss" else set())  # sboth: "default"
    for route, (access, query) in PROBES.items():
        if access != "scope" or query is None:
            continue
        response = await call(jp_fetch, caller, *route.split("/")[2:], **query)
        assert response.code == 200, (route, response.body)
        body = response.body.decode()
        seen = {student for student in STUDENTS if student in body}
        if route.endswith(("assignments", "pace")):
            assert seen == set(), (route, seen)  # counts, never names
        else:
            assert seen == expected, (caller, route, seen)


async def test_assignments_are_listed_only_to_their_courses_staff(jp_fetch):
    assignment = json.loads((await publish(jp_fetch)).body)["assignmentId"]
    for caller, listed in (("prof101", 1), ("ta101a", 1), ("prof102", 0), ("boss", 1)):
        body = json.loads((await call(jp_fetch, caller, "assignments")).body)
        assert len(body["assignments"]) == listed, caller
        one = await call(jp_fetch, caller, "assignments", assignment)
        assert one.code == (200 if listed else 404), caller
        snapshot = json.loads(
            (await call(jp_fetch, caller, "progress", assignment=assignment)).body
        )
        assert (snapshot["assignment"] is not None) == bool(listed), caller


async def test_students_get_403_on_every_dashboard_route_and_admin_routes_need_an_admin(
    jp_fetch,
):
    for route, (access, query) in PROBES.items():
        if access == "caller" or query is None:
            continue
        path = route.split("/")[2:]
        assert (await call(jp_fetch, "s101a", *path, **query)).code == 403, route
        staff = await call(jp_fetch, "prof101", *path, **query)
        assert staff.code == (403 if access == "admin" else 200), route


async def test_course_counts_and_datasets_are_their_staffs(jp_fetch):
    await load_three_students_in_two_courses(jp_fetch)
    for caller, course, code in (
        ("prof101", None, 200),  # their only course
        ("prof101", "cs101", 200),
        ("prof101", "cs102", 403),
        ("prof102", "cs101", 403),
        ("s101a", "cs101", 403),
        ("boss", "cs102", 200),
    ):
        query = {"course": course} if course else {}
        counts = await call(jp_fetch, caller, "consent", "counts", **query)
        assert counts.code == code, (caller, course, counts.body)
        if code == 200:
            assert json.loads(counts.body)["course"] == (course or "cs101")
        dataset = await call(jp_fetch, caller, "progsnap2.zip", **query)
        assert dataset.code == code, (caller, course)
    # a TA of one section may see counts, not the whole course's dataset
    assert (await call(jp_fetch, "ta101a", "consent", "counts")).code == 200
    assert (await call(jp_fetch, "ta101a", "progsnap2.zip")).code == 403
    bad = await call(jp_fetch, "boss", "consent", "counts", course="CS 101!")
    assert bad.code == 400


async def test_course_narrows_the_scope_and_never_widens_it(jp_fetch):
    await load_three_students_in_two_courses(jp_fetch)
    own = await call(jp_fetch, "prof101", "progress", notebook="shared.ipynb", course="cs101")
    other = await call(jp_fetch, "prof101", "progress", notebook="shared.ipynb", course="cs102")
    assert {s["userId"] for s in json.loads(own.body)["students"]} == {"s101a", "s101b"}
    assert json.loads(other.body)["students"] == []
    bad = await call(jp_fetch, "prof101", "progress", course="CS 101!")
    assert bad.code == 400


async def test_legacy_instructors_see_the_implicit_course(jp_fetch):
    await load_three_students_in_two_courses(jp_fetch)
    snapshot = await call(jp_fetch, "legacy", "progress", notebook="shared.ipynb")
    assert {s["userId"] for s in json.loads(snapshot.body)["students"]} == {"sboth"}


async def test_courses_list_roles_and_sections(jp_fetch):
    await load_three_students_in_two_courses(jp_fetch)
    prof = json.loads((await call(jp_fetch, "prof101", "courses")).body)["courses"]
    assert prof == [{"id": "cs101", "title": "cs101", "role": "instructor", "sections": ["a", "b"]}]
    ta = json.loads((await call(jp_fetch, "ta101a", "me")).body)["courses"]
    assert ta == [{"id": "cs101", "title": "cs101", "role": "ta", "sections": ["a"]}]
    boss = json.loads((await call(jp_fetch, "boss", "courses")).body)["courses"]
    assert {c["id"] for c in boss} == {"cs101", "cs102", "default"}


async def read_events(ws, count: int, timeout: float = 60) -> list[dict]:
    """Event messages until `count` events arrived; numbered without gaps."""
    messages: list[dict] = []
    while sum(len(m["events"]) for m in messages) < count:
        message = json.loads(await asyncio.wait_for(ws.read_message(), timeout))
        if message["type"] == "events":
            messages.append(message)
    seqs = [m["seq"] for m in messages]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    return [event for m in messages for event in m["events"]]


async def test_the_live_socket_carries_only_the_scope(jp_fetch, jp_ws_fetch):
    sockets = {}
    for caller in ("ta101a", "prof102"):
        sockets[caller] = await jp_ws_fetch("api", "v1", "ws", headers=auth(caller))
        caught_up = json.loads(await asyncio.wait_for(sockets[caller].read_message(), 60))
        assert caught_up["type"] == "caught_up"
    for student in ("s101b", "s102", "s101a"):  # the TA's student last: all came before it
        await send(jp_fetch, student, run("c1", path="shared.ipynb"))
    ta_events = await read_events(sockets["ta101a"], 1)
    assert [(e["userId"], e["course"], e["section"]) for e in ta_events] == [
        ("s101a", "cs101", "a")
    ]
    prof_events = await read_events(sockets["prof102"], 1)
    assert [(e["userId"], e["course"]) for e in prof_events] == [("s102", "cs102")]
    for socket in sockets.values():
        socket.close()
    refused = await call(jp_fetch, "s101a", "ws")
    assert refused.code in (400, 403)
