"""Claims and resolutions reach the staff sockets of every collector process sharing one Redis,
each exactly once; with Redis unreachable they still reach the process's own sockets."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
import redis as sync_redis
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from progress_tracker.help.notices import HelpNotices
from progress_tracker.help.relay import RedisHelpRelay
from progress_tracker.queue.connection import connect
from progress_tracker.queue.keys import StreamKeys
from progress_tracker.retry import Backoff
from progress_tracker.tasks import BackgroundTasks
from tests.jupyter_process import JupyterServer, free_port
from tests.server.test_help_queue import hand, read_help
from tests.waiting import wait_until

pytestmark = pytest.mark.services


async def staff_socket(server: JupyterServer):
    """The owner's (staff) live socket of `server`, once it is caught up."""
    request = HTTPRequest(
        f"ws://127.0.0.1:{server.port}/api/v1/ws",
        headers={"Authorization": f"token {server.token}"},
    )
    ws = await websocket_connect(request)
    caught_up = json.loads(await asyncio.wait_for(ws.read_message(), 60))
    assert caught_up["type"] == "caught_up"
    return ws


def subscribers(redis_url: str, channel: str) -> int:
    client = sync_redis.Redis.from_url(redis_url)
    try:
        [(_, count)] = client.pubsub_numsub(channel)
        return count
    finally:
        client.close()


@pytest.mark.asyncio
async def test_a_claim_on_one_collector_reaches_the_dashboards_of_another_once(
    tmp_path, postgres_url, redis_url, redis_prefix
):
    options = (
        f"--ProgressTracker.redis_url={redis_url}",
        f"--EventQueue.key_prefix={redis_prefix}",
        "--EventQueue.allow_volatile=True",  # the machine's shared Redis persists nothing
    )
    first = JupyterServer(tmp_path / "a", postgres_url, *options)
    second = JupyterServer(tmp_path / "b", postgres_url, *options)
    try:
        await asyncio.gather(asyncio.to_thread(first.start), asyncio.to_thread(second.start))
        sockets = [await staff_socket(first), await staff_socket(second)]
        channel = StreamKeys(redis_prefix).help_channel
        wait_until(lambda: subscribers(redis_url, channel) == 2, "both collectors to subscribe")

        status, _ = await asyncio.to_thread(first.call, "POST", "events", [hand(message="help")])
        assert status == 202
        raised = [await read_help(ws) for ws in sockets]  # a stored event: the live feed's
        assert {e["state"] for e in raised} == {"waiting"}
        entry_id = raised[0]["id"]

        status, _ = await asyncio.to_thread(second.call, "POST", f"help/{entry_id}/claim", {})
        assert status == 200
        for ws in sockets:
            claimed = await read_help(ws)
            assert (claimed["id"], claimed["state"]) == (entry_id, "claimed")

        status, _ = await asyncio.to_thread(first.call, "POST", f"help/{entry_id}/resolve", {})
        assert status == 200
        for ws in sockets:
            # the next help message is the resolution: nobody heard the claim twice
            resolved = await read_help(ws)
            assert (resolved["id"], resolved["state"]) == (entry_id, "resolved")
            ws.close()
    finally:
        for server in (first, second):
            if server.process and server.process.poll() is None:
                server.stop()


class Heard:
    """A listener of help notices that keeps what it was handed."""

    def __init__(self, notices: HelpNotices) -> None:
        self.entries: list[dict] = []
        notices.listen(self.entries.append)


async def until(check, what: str, timeout: float = 60) -> None:
    """Wait (in the event loop) until `check()` holds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


ENTRY = {"id": 7, "course": "cs101", "section": "a", "state": "claimed"}


@pytest.mark.asyncio
async def test_each_process_hears_every_change_once_its_own_included(redis_url, redis_prefix):
    channel = StreamKeys(redis_prefix).help_channel
    tasks = BackgroundTasks()
    clients = [connect(redis_url), connect(redis_url)]
    notices = [HelpNotices(), HelpNotices()]
    heard = [Heard(n) for n in notices]
    relays = [RedisHelpRelay(c, channel, n) for c, n in zip(clients, notices, strict=True)]
    try:
        for relay in relays:
            await relay.start(tasks)
        await until(lambda: subscribers(redis_url, channel) == 2, "both relays to subscribe")
        notices[0].tell(ENTRY)
        notices[1].tell({**ENTRY, "state": "resolved"})
        notices[0].tell({**ENTRY, "id": 8})  # a marker: once both heard it, all else arrived
        await until(lambda: all(len(h.entries) == 3 for h in heard), "every change everywhere")
        for h in heard:
            assert sorted((e["id"], e["state"]) for e in h.entries) == [
                (7, "claimed"),
                (7, "resolved"),
                (8, "claimed"),
            ]
        assert heard[0].entries[0] == ENTRY, "its own change reached this process at once"
    finally:
        await tasks.stop()
        for client in clients:
            await client.aclose()


@pytest.mark.asyncio
async def test_with_redis_unreachable_a_change_reaches_this_process_and_a_warning_is_logged(
    caplog,
):
    caplog.set_level(logging.WARNING, logger="progress_tracker.help.relay")
    relay_log = logging.getLogger("progress_tracker.help.relay")
    relay_log.addHandler(caplog.handler)  # whatever earlier servers made of its parents
    nowhere = connect(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    notices = HelpNotices()
    heard = Heard(notices)
    tasks = BackgroundTasks()
    relay = RedisHelpRelay(nowhere, "nowhere:help", notices, backoff=Backoff(cap_s=0.5))
    try:
        await relay.start(tasks)
        notices.tell(ENTRY)  # returns at once: a claim's answer never waits for Redis
        assert heard.entries == [ENTRY]
        await until(lambda: "reached only this process" in caplog.text, "the warning", timeout=120)
        assert not relay.subscribed.is_set()
    finally:
        relay_log.removeHandler(caplog.handler)
        await tasks.stop()
        await nowhere.aclose()
