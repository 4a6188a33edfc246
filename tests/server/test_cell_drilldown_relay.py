"""Through a user server's relay (forwarder mode): the cell drill-down is the collector's, and a
kernel status change reaches a live dashboard like any stored event."""

from __future__ import annotations

import asyncio
import json

from tests.conftest import make_event
from tests.server import test_live_relay

# The instructor's user server forwarding to a real collector process.
collector = test_live_relay.collector
jp_server_config = test_live_relay.jp_server_config


async def post(collector, events) -> None:
    status, body = await asyncio.to_thread(collector.call, "POST", "events", events)
    assert status == 202, body


async def test_the_drill_down_is_relayed_to_the_collector(jp_fetch, collector):
    await post(
        collector,
        [
            make_event(notebookPath="lab1.ipynb", cellId="c1", hasError=True, errorMessage="E"),
            make_event(
                notebookPath="lab1.ipynb",
                cellId="c2",
                hasError=True,
                errorMessage="KeyboardInterrupt: ",
                interrupted=True,
            ),
        ],
    )
    direct = await asyncio.to_thread(
        collector.call, "GET", "cells/latest?notebook=lab1.ipynb&cell=c2"
    )
    assert direct[0] == 200, direct
    response = await jp_fetch(
        "api", "v1", "cells", "latest", params={"notebook": "lab1.ipynb", "cell": "c2"}
    )
    relayed = json.loads(response.body)
    assert relayed == direct[1]
    assert [student["status"] for student in relayed["students"]] == ["interrupted"]


async def test_a_kernel_status_change_is_sent_live(jp_fetch, jp_ws_fetch, collector):
    ws = await jp_ws_fetch("api", "v1", "ws", params={"notebook": "lab1.ipynb"})
    caught_up = json.loads(await asyncio.wait_for(ws.read_message(), 60))
    assert caught_up["type"] == "caught_up"
    restart = {
        **make_event(notebookPath="lab1.ipynb", eventType="kernel_status"),
        "kernelStatus": "restarting",
        "cellId": None,
    }
    await post(collector, [restart])
    message = json.loads(await asyncio.wait_for(ws.read_message(), 60))
    [sent] = message["events"]
    assert (sent["eventType"], sent["kernelStatus"]) == ("kernel_status", "restarting")
    ws.close()
