"""The live socket through a user server's relay survives any burst: messages are bounded at the
collector, and the relay passes each on as it comes (a catch-up too)."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.conftest import make_event
from tests.jupyter_process import JupyterServer

BURST = 600
CODE = "x" * 20_000  # 600 events of 20 KB: 12 MB, more than a relay may take in one message


@pytest.fixture
def collector(tmp_path):
    server = JupyterServer(
        tmp_path / "collector",
        f"sqlite+aiosqlite:///{tmp_path}/c.sqlite",
        "--EventIntake.user_bytes_per_minute=0",  # one user's 12 MB at once: a burst on purpose
    )
    server.start()
    yield server
    if server.process and server.process.poll() is None:
        server.stop()


@pytest.fixture
def jp_server_config(jp_server_config, collector, monkeypatch):
    """This test server is the instructor's user server, forwarding to `collector`."""
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", collector.token)
    monkeypatch.setenv("JUPYTERHUB_USER", "teacher")
    jp_server_config["ProgressTracker"].update(
        mode="forwarder", collector_url=f"http://127.0.0.1:{collector.port}/"
    )
    return jp_server_config


async def burst(collector: JupyterServer) -> list[str]:
    ids = []
    for _ in range(BURST // 50):
        batch = [make_event(cellId=f"c{i}", code=CODE) for i in range(50)]  # 50 cells, 12 runs
        status, _ = await asyncio.to_thread(collector.call, "POST", "events", batch)
        assert status == 202
        ids += [event["eventId"] for event in batch]
    return ids


async def read_events(ws, count: int) -> list[dict]:
    messages = []
    while sum(len(m["events"]) for m in messages) < count:
        raw = await asyncio.wait_for(ws.read_message(), 60)
        assert raw is not None, "the relayed socket closed"
        message = json.loads(raw)
        if message["type"] == "events":
            messages.append(message)
        else:
            assert message["type"] == "caught_up", message
    return messages


def assert_consecutive(messages: list[dict]) -> None:
    seqs = [m["seq"] for m in messages]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))


async def test_a_burst_reaches_a_relayed_dashboard_live_and_again_as_a_catch_up(
    jp_fetch, jp_ws_fetch, collector
):
    before = json.loads((await jp_fetch("api", "v1", "progress")).body)  # relayed too
    live = await jp_ws_fetch("api", "v1", "ws")
    sent = await burst(collector)
    messages = await read_events(live, BURST)
    assert [e["eventId"] for m in messages for e in m["events"]] == sent
    assert_consecutive(messages)
    live.close()

    # A dashboard that was away during the burst catches up from its snapshot's position.
    params = {"feed": before["liveFeed"], "after": str(before["liveSeq"])}
    resumed = await jp_ws_fetch("api", "v1", "ws", params=params)
    replayed = await read_events(resumed, BURST)
    assert [e["eventId"] for m in replayed for e in m["events"]] == sent
    assert replayed[0]["seq"] == before["liveSeq"] + 1
    assert_consecutive(replayed)
    resumed.close()
