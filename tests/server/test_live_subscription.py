"""A dashboard subscribed to a notebook receives only that notebook's events, and can tell it
missed nothing: each message names the one sent to it before (`prev`)."""

from __future__ import annotations

import pytest

from tests.conftest import make_event
from tests.server.test_live import follow, ids, next_message, post, snapshot

pytestmark = pytest.mark.usefixtures("jp_serverapp")


async def subscribe(jp_ws_fetch, notebook, position=None):
    params = {"notebook": notebook}
    if position:
        params.update(feed=position["liveFeed"], after=str(position["liveSeq"]))
    ws = await jp_ws_fetch("api", "v1", "ws", params=params)
    replayed = []
    while (message := await next_message(ws))["type"] == "events":
        replayed.append(message)
    return ws, replayed, message


async def test_the_server_sends_only_the_subscribed_notebooks_events(jp_fetch, jp_ws_fetch):
    lab1, _, caught_up = await subscribe(jp_ws_fetch, "lab1.ipynb")
    everything, _, _ = await follow(jp_ws_fetch)
    mine = [make_event(notebookPath="lab1.ipynb") for _ in range(2)]
    other = make_event(notebookPath="lab2.ipynb")
    await post(jp_fetch, [mine[0], other])
    await post(jp_fetch, [other | {"eventId": "other-2"}])
    await post(jp_fetch, [mine[1]])
    first, second = await next_message(lab1), await next_message(lab1)
    assert ids([first, second]) == [e["eventId"] for e in mine]
    assert first["prev"] == caught_up["seq"] and second["prev"] == first["seq"]
    assert second["seq"] > first["seq"] + 1, "the other notebook's messages were held back"
    seen = []
    while len(seen) < 4:
        seen += ids([await next_message(everything)])
    assert set(seen) == {mine[0]["eventId"], mine[1]["eventId"], other["eventId"], "other-2"}
    lab1.close()
    everything.close()


async def test_a_subscribed_dashboard_that_reconnects_is_replayed_only_its_notebook(
    jp_fetch, jp_ws_fetch
):
    position = await snapshot(jp_fetch)
    missed = make_event(notebookPath="lab1.ipynb")
    await post(jp_fetch, [make_event(notebookPath="lab2.ipynb")])
    await post(jp_fetch, [missed])
    await post(jp_fetch, [make_event(notebookPath="lab2.ipynb")])
    ws, replayed, caught_up = await subscribe(jp_ws_fetch, "lab1.ipynb", position)
    assert ids(replayed) == [missed["eventId"]]
    assert replayed[0]["prev"] == position["liveSeq"]
    assert caught_up["seq"] == position["liveSeq"] + 3, "it is told how far the feed is"
    live = make_event(notebookPath="lab1.ipynb")
    await post(jp_fetch, [live])
    message = await next_message(ws)
    assert (ids([message]), message["prev"]) == ([live["eventId"]], caught_up["seq"])
    ws.close()
