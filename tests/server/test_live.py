"""WebSocket api/v1/ws: instructors see every persisted event live, and catch up after a drop."""

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


async def next_message(ws, timeout=5.0):
    raw = await asyncio.wait_for(ws.read_message(), timeout)
    assert raw is not None, "the socket closed"
    return json.loads(raw)


async def test_an_instructor_receives_each_persisted_event(jp_fetch, jp_ws_fetch):
    ws = await jp_ws_fetch("api", "v1", "ws")
    event = make_event(hasError=True, errorMessage="KeyError: 'price'")
    await post(jp_fetch, [event])
    message = await next_message(ws)
    assert message["type"] == "events"
    [pushed] = message["events"]
    assert pushed["eventId"] == event["eventId"]
    assert pushed["userId"] == "teacher"
    assert pushed["errorMessage"] == "KeyError: 'price'"
    ws.close()


async def test_a_retry_is_not_pushed_twice(jp_fetch, jp_ws_fetch):
    ws = await jp_ws_fetch("api", "v1", "ws")
    first, second = make_event(), make_event()
    await post(jp_fetch, [first])
    await post(jp_fetch, [first, second])
    messages = [await next_message(ws), await next_message(ws)]
    pushed = [e["eventId"] for m in messages for e in m["events"]]
    assert pushed == [first["eventId"], second["eventId"]]
    ws.close()


async def test_a_reconnecting_dashboard_gets_what_it_missed(jp_fetch, jp_ws_fetch):
    seen = make_event()
    await post(jp_fetch, [seen])
    missed = [make_event(cellId=f"cell-{i}") for i in range(3)]
    await post(jp_fetch, missed)
    ws = await jp_ws_fetch("api", "v1", "ws", params={"since": seen["eventId"]})
    replayed: list[str] = []
    while True:
        message = await next_message(ws)
        if message["type"] == "caught_up":
            break
        replayed += [e["eventId"] for e in message["events"]]
    assert {e["eventId"] for e in missed} <= set(replayed)
    assert message["complete"] is True
    assert message["lastEventId"] == missed[-1]["eventId"]
    live = make_event()
    await post(jp_fetch, [live])
    assert (await next_message(ws))["events"][0]["eventId"] == live["eventId"]
    ws.close()


async def test_an_unknown_cursor_asks_the_dashboard_to_reload(jp_ws_fetch):
    ws = await jp_ws_fetch("api", "v1", "ws", params={"since": "never-seen"})
    assert (await next_message(ws))["type"] == "resync"
    assert (await next_message(ws))["complete"] is False
    ws.close()


async def test_closed_sockets_stop_listening(jp_fetch, jp_ws_fetch, jp_serverapp):
    runtime = next(iter(jp_serverapp.extension_manager.extension_apps["progress_tracker"])).runtime
    ws = await jp_ws_fetch("api", "v1", "ws")
    await post(jp_fetch, [make_event()])
    await next_message(ws)
    assert runtime.live.listener_count == 1
    ws.close()
    for _ in range(50):
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
