"""The help queue: a student's raised hand reaches their course's staff (a TA only for their
section), who claim and resolve it; the student sees who is coming; sockets hear it live."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.courses_like import auth, call, course_server_config, send
from tests.server import test_live_relay

HAND = {"notebookPath": "shared.ipynb"}


@pytest.fixture
def jp_server_config(database_url):
    return course_server_config(database_url)


def hand(kind: str = "help", **fields):
    """A `help` (or `help_stop`) event of shared.ipynb."""
    from tests.conftest import make_event

    event = make_event(eventType=kind, **HAND, **fields)
    for field in ("code", "result", "executionCount", "cellIndex", "cellType"):
        event.pop(field)
    return event


async def queue(jp_fetch, caller: str, **query) -> list[dict]:
    response = await call(jp_fetch, caller, "help", **query)
    assert response.code == 200, response.body
    return json.loads(response.body)["entries"]


async def mine(jp_fetch, caller: str) -> list[dict]:
    response = await call(jp_fetch, caller, "help", "mine")
    assert response.code == 200, response.body
    return json.loads(response.body)["entries"]


async def change(jp_fetch, caller: str, entry_id, action: str):
    return await call(jp_fetch, caller, "help", str(entry_id), action, method="POST", body={})


async def test_a_raised_hand_is_listed_for_its_course_staff_and_the_sections_ta(jp_fetch):
    await send(jp_fetch, "s101a", hand(cellId="c2", message="stuck on the loop"))
    [entry] = await queue(jp_fetch, "prof101")
    assert entry["student"] == "s101a" and entry["course"] == "cs101"
    assert (entry["cellId"], entry["message"], entry["notebook"]) == (
        "c2",
        "stuck on the loop",
        "shared.ipynb",
    )
    assert (entry["state"], entry["claimedBy"], entry["section"]) == ("waiting", None, "a")
    assert entry["raisedAt"]
    assert [e["id"] for e in await queue(jp_fetch, "ta101a")] == [entry["id"]]
    assert await queue(jp_fetch, "prof102") == []
    assert [e["id"] for e in await queue(jp_fetch, "boss")] == [entry["id"]]
    assert await queue(jp_fetch, "prof101", course="cs102") == []
    assert len(await queue(jp_fetch, "prof101", notebook="shared.ipynb")) == 1
    assert await queue(jp_fetch, "prof101", notebook="other.ipynb") == []


async def test_a_ta_sees_only_their_section_and_the_queue_is_oldest_first(jp_fetch):
    await send(jp_fetch, "s101b", hand())
    await send(jp_fetch, "s101a", hand())
    await send(jp_fetch, "s102", hand())
    assert [e["student"] for e in await queue(jp_fetch, "prof101")] == ["s101b", "s101a"]
    assert [e["student"] for e in await queue(jp_fetch, "ta101a")] == ["s101a"]
    assert [e["student"] for e in await queue(jp_fetch, "prof102")] == ["s102"]
    assert (await call(jp_fetch, "s101a", "help")).code == 403


async def test_raising_again_updates_the_entry_and_keeps_its_place(jp_fetch):
    await send(jp_fetch, "s101a", hand(message="first"))
    await send(jp_fetch, "s101b", hand())
    [first, _] = await queue(jp_fetch, "prof101")
    await send(jp_fetch, "s101a", hand(message="still stuck", cellId="c3"))
    entries = await queue(jp_fetch, "prof101")
    assert [e["student"] for e in entries] == ["s101a", "s101b"]
    assert entries[0]["id"] == first["id"] and entries[0]["raisedAt"] == first["raisedAt"]
    assert (entries[0]["message"], entries[0]["cellId"]) == ("still stuck", "c3")


async def test_lowering_a_hand_takes_it_off_the_queue(jp_fetch):
    await send(jp_fetch, "s101a", hand())
    await send(jp_fetch, "s101a", hand("help_stop"))
    assert await queue(jp_fetch, "prof101") == []
    assert await mine(jp_fetch, "s101a") == []
    await send(jp_fetch, "s101a", hand())  # raised again: a new entry, at the end
    assert len(await queue(jp_fetch, "prof101")) == 1


async def test_a_redelivered_hand_counts_once(jp_fetch):
    event = hand(message="once")
    await send(jp_fetch, "s101a", event)
    await send(jp_fetch, "s101a", hand("help_stop"))
    await send(jp_fetch, "s101a", event)  # the same event again: already stored, nothing new
    assert await queue(jp_fetch, "prof101") == []


async def test_claim_and_resolve_by_the_courses_staff_only(jp_fetch):
    await send(jp_fetch, "s101b", hand(message="help"))
    [entry] = await queue(jp_fetch, "prof101")
    assert (await change(jp_fetch, "prof102", entry["id"], "claim")).code == 403
    assert (await change(jp_fetch, "ta101a", entry["id"], "claim")).code == 403  # section b
    assert (await change(jp_fetch, "s101b", entry["id"], "claim")).code == 403
    assert (await change(jp_fetch, "prof101", 999_999, "claim")).code == 404
    assert (await change(jp_fetch, "prof101", "not-an-id", "resolve")).code == 404

    claimed = await change(jp_fetch, "prof101", entry["id"], "claim")
    assert claimed.code == 200
    body = json.loads(claimed.body)
    assert (body["state"], body["claimedBy"]) == ("claimed", "prof101") and body["claimedAt"]
    [listed] = await queue(jp_fetch, "prof101")
    assert (listed["state"], listed["claimedBy"]) == ("claimed", "prof101")
    [own] = await mine(jp_fetch, "s101b")
    assert (own["state"], own["claimedBy"]) == ("claimed", "prof101")

    resolved = await change(jp_fetch, "boss", entry["id"], "resolve")
    assert resolved.code == 200
    assert json.loads(resolved.body)["resolvedBy"] == "boss"
    assert await queue(jp_fetch, "prof101") == [] and await mine(jp_fetch, "s101b") == []
    again = await change(jp_fetch, "prof101", entry["id"], "resolve")
    assert again.code == 409 and "resolved" in json.loads(again.body)["message"]
    assert (await change(jp_fetch, "prof101", entry["id"], "claim")).code == 409


async def test_a_lowered_hand_cannot_be_claimed(jp_fetch):
    await send(jp_fetch, "s101a", hand())
    [entry] = await queue(jp_fetch, "ta101a")
    await send(jp_fetch, "s101a", hand("help_stop"))
    assert (await change(jp_fetch, "ta101a", entry["id"], "claim")).code == 409


async def test_a_student_sees_only_their_own_hands(jp_fetch):
    await send(jp_fetch, "s101a", hand(message="mine"))
    await send(jp_fetch, "s101b", hand(message="theirs"))
    [own] = await mine(jp_fetch, "s101a")
    assert (own["student"], own["message"], own["state"]) == ("s101a", "mine", "waiting")
    assert await mine(jp_fetch, "s102") == []


async def read_help(ws, timeout: float = 60) -> dict:
    """The next `help` message of a socket (event messages are skipped)."""
    while True:
        message = json.loads(await asyncio.wait_for(ws.read_message(), timeout))
        if message["type"] == "help":
            return message["entry"]


async def open_socket(jp_ws_fetch, caller: str):
    ws = await jp_ws_fetch("api", "v1", "ws", headers=auth(caller))
    caught_up = json.loads(await asyncio.wait_for(ws.read_message(), 60))
    assert caught_up["type"] == "caught_up"
    return ws


async def test_raise_claim_resolve_and_lower_reach_staff_sockets_in_scope(jp_fetch, jp_ws_fetch):
    prof, ta, other = [await open_socket(jp_ws_fetch, u) for u in ("prof101", "ta101a", "prof102")]
    await send(jp_fetch, "s101b", hand(message="section b"))  # not the TA's section
    await send(jp_fetch, "s101a", hand(message="section a"))
    assert (await read_help(prof))["message"] == "section b"
    raised = await read_help(prof)
    assert (raised["student"], raised["state"]) == ("s101a", "waiting")
    assert (await read_help(ta))["id"] == raised["id"], "the TA hears only their section"

    assert (await change(jp_fetch, "ta101a", raised["id"], "claim")).code == 200
    for ws in (prof, ta):
        claimed = await read_help(ws)
        assert (claimed["id"], claimed["state"], claimed["claimedBy"]) == (
            raised["id"],
            "claimed",
            "ta101a",
        )
    assert (await change(jp_fetch, "prof101", raised["id"], "resolve")).code == 200
    assert (await read_help(ta))["state"] == "resolved"
    assert (await read_help(prof))["state"] == "resolved"

    await send(jp_fetch, "s101a", hand())
    await send(jp_fetch, "s101a", hand("help_stop"))
    assert (await read_help(ta))["state"] == "waiting"
    lowered = await read_help(ta)
    assert (lowered["state"], lowered["resolvedBy"]) == ("resolved", None)

    # prof102's socket heard nothing of cs101: its next help message is its own course's
    await send(jp_fetch, "s102", hand(message="cs102"))
    assert (await read_help(other))["message"] == "cs102"
    for ws in (prof, ta, other):
        ws.close()


# Forwarder mode: a user server relays the queue, the claim and the student's own entries.
collector = test_live_relay.collector


@pytest.fixture
def forwarder_config(database_url, collector, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", collector.token)
    monkeypatch.setenv("JUPYTERHUB_USER", "teacher")
    config = {
        "ServerApp": {
            "jpserver_extensions": {"progress_tracker": True, "jupyter_server_terminals": False},
            "allow_unauthenticated_access": False,
        },
        "ProgressTracker": {
            "database_url": database_url,
            "owner_name": "teacher",
            "mode": "forwarder",
            "collector_url": f"http://127.0.0.1:{collector.port}/",
        },
    }
    return config


class TestThroughAUsersServer:
    @pytest.fixture
    def jp_server_config(self, forwarder_config):
        return forwarder_config

    async def test_the_queue_a_claim_and_mine_are_relayed(self, jp_fetch, collector):
        status, _ = await asyncio.to_thread(
            collector.call, "POST", "events", [hand(message="relayed")]
        )
        assert status == 202
        entries = json.loads((await jp_fetch("api", "v1", "help")).body)["entries"]
        assert [(e["student"], e["message"]) for e in entries] == [("teacher", "relayed")]
        claimed = await jp_fetch(
            "api", "v1", "help", str(entries[0]["id"]), "claim", method="POST", body="{}"
        )
        assert json.loads(claimed.body)["claimedBy"] == "teacher"
        own = json.loads((await jp_fetch("api", "v1", "help", "mine")).body)["entries"]
        assert [(e["state"], e["claimedBy"]) for e in own] == [("claimed", "teacher")]
        resolved = await jp_fetch(
            "api", "v1", "help", str(entries[0]["id"]), "resolve", method="POST", body="{}"
        )
        assert json.loads(resolved.body)["state"] == "resolved"


async def test_an_erased_student_leaves_no_help_entry(jp_fetch):
    await send(jp_fetch, "s101a", hand(message="erase me"))
    erased = await jp_fetch(
        "api",
        "v1",
        "subject",
        method="DELETE",
        headers=auth("boss"),
        params={"user": "s101a", "confirm": "s101a"},
    )
    assert erased.code == 200, erased.body
    assert await queue(jp_fetch, "boss") == []
