"""Through a user server's relay: the compact snapshot arrives whole (gzipped again for the
browser) and a subscribed live socket gets only its notebook's events."""

from __future__ import annotations

import asyncio
import gzip
import json

from tests.conftest import make_event
from tests.server import test_live_relay

# The instructor's user server forwarding to a real collector process.
collector = test_live_relay.collector
jp_server_config = test_live_relay.jp_server_config


async def post(collector, events) -> None:
    status, _ = await asyncio.to_thread(collector.call, "POST", "events", events)
    assert status == 202


async def test_the_compact_snapshot_is_relayed_whole_and_gzipped(jp_fetch, collector):
    await post(
        collector, [make_event(notebookPath="lab1.ipynb", cellId=f"c{i}") for i in range(40)]
    )
    direct = await asyncio.to_thread(
        collector.call, "GET", "progress?notebook=lab1.ipynb&form=compact&pageSize=1"
    )
    response = await jp_fetch(
        "api",
        "v1",
        "progress",
        params={"notebook": "lab1.ipynb", "form": "compact", "pageSize": "1"},
        headers={"Accept-Encoding": "gzip"},
        decompress_response=False,
    )
    assert response.headers["Content-Encoding"] == "gzip"
    relayed = gzip.decompress(response.body).decode()
    assert relayed.count("\n") == 3, "head, one page per student, end"
    assert json.loads(relayed)["pages"] == direct[1]["pages"]


async def test_a_relayed_socket_subscribed_to_a_notebook_gets_only_its_events(
    jp_fetch, jp_ws_fetch, collector
):
    ws = await jp_ws_fetch("api", "v1", "ws", params={"notebook": "lab1.ipynb"})
    caught_up = json.loads(await asyncio.wait_for(ws.read_message(), 60))
    assert caught_up["type"] == "caught_up"
    other, mine = make_event(notebookPath="lab2.ipynb"), make_event(notebookPath="lab1.ipynb")
    await post(collector, [other])
    await post(collector, [mine])
    message = json.loads(await asyncio.wait_for(ws.read_message(), 60))
    assert [e["eventId"] for e in message["events"]] == [mine["eventId"]]
    assert (message["prev"], message["seq"]) == (caught_up["seq"], caught_up["seq"] + 2)
    ws.close()
