"""WebSocket api/v1/ws: instructors see every stored event live, in numbered messages, and a
dashboard that reconnects gets exactly what it missed, or is told to reload its snapshot."""

from __future__ import annotations

import asyncio
import json

import pytest
from tornado.httpclient import HTTPClientError

from tests.conftest import make_event
from tests.hub_like import HubLikeIdentityProvider

pytestmark = pytest.mark.usefixtures("jp_serverapp")


async def post(jp_fetch, events):
    response = await jp_fetch("api", "v1", "events", method="POST", body=json.dumps(events))
    assert response.code == 202


async def next_message(ws, timeout=10.0):
    raw = await asyncio.wait_for(ws.read_message(), timeout)
    assert raw is not None, "the socket closed"
    return json.loads(raw)


async def snapshot(jp_fetch):
    return json.loads((await jp_fetch("api", "v1", "progress")).body)


async def follow(jp_ws_fetch, position=None):
    """Open the socket (resuming from a snapshot's position if given) until it caught up."""
    params = {"feed": position["liveFeed"], "after": str(position["liveSeq"])} if position else {}
    ws = await jp_ws_fetch("api", "v1", "ws", params=params)
    replayed = []
    while True:
        message = await next_message(ws)
        if message["type"] != "events":
            return ws, replayed, message
        replayed.append(message)


async def events_until(ws, count):
    """Read events messages until `count` events came; they must be numbered without a gap."""
    messages = []
    while sum(len(m["events"]) for m in messages) < count:
        message = await next_message(ws)
        assert message["type"] == "events", message
        messages.append(message)
    assert_consecutive(messages)
    return messages


def assert_consecutive(messages):
    seqs = [m["seq"] for m in messages]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), seqs


def ids(messages):
    return [e["eventId"] for m in messages for e in m["events"]]


async def test_an_instructor_receives_each_stored_event_in_numbered_messages(jp_fetch, jp_ws_fetch):
    ws, replayed, caught_up = await follow(jp_ws_fetch)
    assert (replayed, caught_up["type"]) == ([], "caught_up")
    event = make_event(hasError=True, errorMessage="KeyError: 'price'")
    await post(jp_fetch, [event])
    [message] = await events_until(ws, 1)
    assert message["seq"] == caught_up["seq"] + 1
    [pushed] = message["events"]
    assert (pushed["eventId"], pushed["userId"]) == (event["eventId"], "teacher")
    assert pushed["errorMessage"] == "KeyError: 'price'"
    ws.close()


async def test_a_retry_is_not_pushed_twice(jp_fetch, jp_ws_fetch):
    ws, _, _ = await follow(jp_ws_fetch)
    first, second = make_event(), make_event()
    await post(jp_fetch, [first])
    await post(jp_fetch, [first, second])
    assert ids(await events_until(ws, 2)) == [first["eventId"], second["eventId"]]
    ws.close()


async def test_a_snapshot_says_where_to_follow_from_and_nothing_is_missed_or_repeated(
    jp_fetch, jp_ws_fetch
):
    await post(jp_fetch, [make_event(cellId="before")])
    position = await snapshot(jp_fetch)
    assert position["liveSeq"] >= 1 and position["liveFeed"]
    missed = [make_event(cellId=f"cell-{i}") for i in range(3)]
    await post(jp_fetch, missed[:1])
    await post(jp_fetch, missed[1:])
    ws, replayed, caught_up = await follow(jp_ws_fetch, position)
    assert ids(replayed) == [e["eventId"] for e in missed], "what followed the snapshot, once"
    assert replayed[0]["seq"] == position["liveSeq"] + 1
    assert_consecutive(replayed)
    assert (caught_up["type"], caught_up["seq"]) == ("caught_up", replayed[-1]["seq"])
    live = make_event()
    await post(jp_fetch, [live])
    [message] = await events_until(ws, 1)
    assert (message["seq"], ids([message])) == (caught_up["seq"] + 1, [live["eventId"]])
    ws.close()


async def test_a_dashboard_of_another_feed_is_told_to_reload(jp_fetch, jp_ws_fetch):
    await post(jp_fetch, [make_event()])
    position = {**await snapshot(jp_fetch), "liveFeed": "0123abcd"}  # e.g. before a restart
    ws, replayed, message = await follow(jp_ws_fetch, position)
    assert (replayed, message["type"]) == ([], "resync")
    assert "started again" in message["reason"]
    ws.close()


@pytest.mark.parametrize("after", ["x", "-1"])
async def test_a_malformed_position_is_refused(jp_ws_fetch, after):
    with pytest.raises(HTTPClientError) as refused:
        await jp_ws_fetch("api", "v1", "ws", params={"feed": "abc", "after": after})
    assert refused.value.code == 400


class TestSmallBounds:
    """Messages are cut to live_message_bytes; replay_limit messages are kept for catch-up."""

    @pytest.fixture
    def jp_server_config(self, jp_server_config):
        return {
            **jp_server_config,
            "ProgressDashboard": {"live_message_bytes": 4096, "replay_limit": 5},
        }

    async def test_a_large_batch_is_split_into_bounded_messages(self, jp_fetch, jp_ws_fetch):
        ws, _, _ = await follow(jp_ws_fetch)
        batch = [make_event(cellId=f"c{i}", code="x" * 1500) for i in range(10)]
        await post(jp_fetch, batch)
        messages = await events_until(ws, 10)
        assert ids(messages) == [e["eventId"] for e in batch]
        assert len(messages) >= 4
        for message in messages:
            # as sent: compact JSON
            assert len(json.dumps(message["events"], separators=(",", ":")).encode()) <= 4096
        ws.close()

    async def test_a_dashboard_further_behind_than_kept_reloads_instead_of_replaying(
        self, jp_fetch, jp_ws_fetch
    ):
        position = await snapshot(jp_fetch)
        for i in range(8):  # eight messages; five are kept
            await post(jp_fetch, [make_event(cellId=f"c{i}")])
        ws, replayed, message = await follow(jp_ws_fetch, position)
        assert (replayed, message["type"]) == ([], "resync")
        assert "further behind" in message["reason"]
        ws.close()
        ws, replayed, caught_up = await follow(jp_ws_fetch, await snapshot(jp_fetch))
        assert (replayed, caught_up["type"]) == ([], "caught_up"), "a fresh snapshot follows"
        ws.close()


class TestASlowDashboard:
    @pytest.fixture
    def jp_server_config(self, jp_server_config):
        return {**jp_server_config, "ProgressDashboard": {"live_backlog_bytes": 64 * 1024}}

    async def test_one_that_stops_reading_is_told_to_reload_instead_of_being_buffered_for(
        self, jp_fetch, jp_ws_fetch, jp_serverapp
    ):
        runtime = runtime_of(jp_serverapp)
        ws, _, _ = await follow(jp_ws_fetch)  # then never reads: the socket's buffers fill up
        posted = 0
        deadline = asyncio.get_running_loop().time() + 120
        while runtime.live.listener_count == 1:
            assert asyncio.get_running_loop().time() < deadline, "never fell behind"
            await post(
                jp_fetch,
                [make_event(cellId=f"c{posted}-{i}", code="y" * 10_000) for i in range(50)],
            )
            posted += 50
        messages = []
        while (message := await next_message(ws))["type"] == "events":
            messages.append(message)
        assert message["type"] == "resync" and "fell behind" in message["reason"]
        assert_consecutive(messages)
        assert sum(len(m["events"]) for m in messages) < posted, "the rest was never queued"
        ws.close()


def runtime_of(jp_serverapp):
    return next(iter(jp_serverapp.extension_manager.extension_apps["progress_tracker"])).runtime


async def test_closed_sockets_stop_listening(jp_fetch, jp_ws_fetch, jp_serverapp):
    runtime = runtime_of(jp_serverapp)
    ws, _, _ = await follow(jp_ws_fetch)
    await post(jp_fetch, [make_event()])
    await events_until(ws, 1)
    assert runtime.live.listener_count == 1
    ws.close()
    for _ in range(250):
        if runtime.live.listener_count == 0:
            break
        await asyncio.sleep(0.02)
    assert runtime.live.listener_count == 0


class TestNonInstructors:
    @pytest.fixture
    def jp_server_config(self, database_url):
        return {
            "ServerApp": {
                "jpserver_extensions": {
                    "progress_tracker": True,
                    "jupyter_server_terminals": False,
                },
                "identity_provider_class": HubLikeIdentityProvider,
            },
            "ProgressTracker": {"database_url": database_url},
        }

    async def test_a_student_cannot_open_the_live_socket(self, jp_ws_fetch):
        with pytest.raises(HTTPClientError) as refused:
            await jp_ws_fetch("api", "v1", "ws", headers={"Authorization": "token student-token"})
        assert refused.value.code == 403

    async def test_an_instructor_of_the_hub_group_can(self, jp_ws_fetch):
        ws = await jp_ws_fetch(
            "api", "v1", "ws", headers={"Authorization": "token instructor-token"}
        )
        ws.close()
