"""A user server's forwarding pipeline, against a stand-in collector on loopback.

The real collector behind a real JupyterHub is exercised in tests/hub; these fast tests pin the
forwarder's own decisions: what it sends, when it answers 202, and what it refuses.
"""

from __future__ import annotations

import asyncio
import json
import socket
from datetime import UTC, datetime

import pytest
import pytest_asyncio
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from progress_tracker.errors import Unavailable, UpstreamRefused
from progress_tracker.events import Event, EventType
from progress_tracker.pipelines.collector import MAX_CONNECTIONS, Collector
from progress_tracker.pipelines.forward import MAX_IN_FLIGHT, ForwardingPipeline

pytestmark = pytest.mark.asyncio


class StandInCollector(web.RequestHandler):
    """Answers POST api/v1/events with a configured status, recording what it got."""

    def initialize(self, state: dict) -> None:
        self.state = state

    def post(self) -> None:
        self.state["requests"].append(
            (self.request.headers.get("Authorization"), json.loads(self.request.body))
        )
        status, body, headers = self.state["answer"]
        for name, value in headers.items():
            self.set_header(name, value)
        self.set_status(status)
        self.finish(body)


@pytest_asyncio.fixture
async def collector():
    state: dict = {"requests": [], "answer": (202, {"processed_count": 1}, {})}
    app = web.Application([(r"/services/pt/api/v1/events", StandInCollector, {"state": state})])
    sockets = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(app)
    server.add_sockets(sockets)
    state["url"] = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/services/pt/"
    yield state
    server.stop()
    await server.close_all_connections()


def stamped(user: str = "student1") -> Event:
    now = datetime.now(UTC)
    return Event(
        event_id="e-1",
        event_type=EventType.CELL_EXECUTED,
        event_time=now,
        received_at=now,
        user_id=user,
        notebook_path="lab.ipynb",
        cell_id="c1",
        code="1/0",
        has_error=True,
        error_message="ZeroDivisionError: division by zero",
    )


async def test_a_batch_goes_to_the_collector_with_the_servers_token_and_no_identity(collector):
    pipeline = ForwardingPipeline(Collector(collector["url"], "server-token", "student1"))
    await pipeline.accept([stamped()])
    [(authorization, body)] = collector["requests"]
    assert authorization == "token server-token"
    assert body[0]["eventId"] == "e-1" and body[0]["errorMessage"].startswith("ZeroDivision")
    assert "userId" not in body[0], "the collector takes the user from the token"
    await pipeline.stop()


async def test_events_of_anyone_but_the_owner_are_refused_and_never_sent(collector):
    pipeline = ForwardingPipeline(Collector(collector["url"], "server-token", "student1"))
    with pytest.raises(UpstreamRefused) as refused:
        await pipeline.accept([stamped(user="student2")])
    assert refused.value.status_code == 403
    assert collector["requests"] == []
    await pipeline.stop()


@pytest.mark.parametrize("status", [500, 502, 503, 401, 403, 404])
async def test_a_collector_that_cannot_take_the_batch_means_retry_later(collector, status):
    collector["answer"] = (status, {"message": "nope"}, {"Retry-After": "7"})
    pipeline = ForwardingPipeline(Collector(collector["url"], "server-token", "student1"))
    with pytest.raises(Unavailable) as unavailable:
        await pipeline.accept([stamped()])
    assert unavailable.value.retry_after_s == (
        7 if status == 503 else unavailable.value.retry_after_s
    )
    await pipeline.stop()


async def test_a_student_over_the_collectors_budget_gets_its_429_and_retry_after(collector):
    refusal = {"message": "You are sending faster than this server accepts from one user"}
    collector["answer"] = (429, refusal, {"Retry-After": "17"})
    pipeline = ForwardingPipeline(Collector(collector["url"], "server-token", "student1"))
    with pytest.raises(UpstreamRefused) as refused:
        await pipeline.accept([stamped()])
    assert (refused.value.status_code, refused.value.retry_after_s) == (429, 17)
    assert refused.value.body() == refusal
    await pipeline.stop()


@pytest.mark.parametrize("status", [400, 413, 422])
async def test_a_batch_the_collector_finds_invalid_is_relayed_as_is(collector, status):
    collector["answer"] = (status, {"message": "bad batch", "errors": []}, {})
    pipeline = ForwardingPipeline(Collector(collector["url"], "server-token", "student1"))
    with pytest.raises(UpstreamRefused) as rejected:
        await pipeline.accept([stamped()])
    assert (rejected.value.status_code, rejected.value.body()["message"]) == (status, "bad batch")
    await pipeline.stop()


async def test_an_unreachable_collector_means_retry_later():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    pipeline = ForwardingPipeline(Collector(f"http://127.0.0.1:{port}/", "t", "student1"))
    with pytest.raises(Unavailable):
        await pipeline.accept([stamped()])
    await pipeline.stop()


class SlowCollector(web.RequestHandler):
    """Holds every POST until released, counting how many it holds at once."""

    def initialize(self, state: dict) -> None:
        self.state = state

    async def post(self) -> None:
        self.state["open"] += 1
        self.state["most_open"] = max(self.state["most_open"], self.state["open"])
        await self.state["release"].wait()
        self.state["open"] -= 1
        self.set_status(202)
        self.finish({"processed_count": 1})


async def test_a_slow_collector_costs_the_students_server_bounded_connections_and_memory():
    state = {"open": 0, "most_open": 0, "release": asyncio.Event()}
    app = web.Application([(r"/api/v1/events", SlowCollector, {"state": state})])
    sockets = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(app)
    server.add_sockets(sockets)
    url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/"
    pipeline = ForwardingPipeline(Collector(url, "t", "student1"))
    try:
        attempts = [asyncio.ensure_future(pipeline.accept([stamped()])) for _ in range(30)]
        await asyncio.sleep(0)  # every attempt has started
        refused = [a for a in attempts if a.done() and isinstance(a.exception(), Unavailable)]
        assert len(refused) == 30 - MAX_IN_FLIGHT, "the rest stay in the browser's outbox"
        assert all(a.exception().retry_after_s == 2 for a in refused)

        deadline = asyncio.get_running_loop().time() + 60
        while state["open"] < MAX_CONNECTIONS:
            assert asyncio.get_running_loop().time() < deadline
            await asyncio.sleep(0.02)
        state["release"].set()
        waiting = [a for a in attempts if a not in refused]
        await asyncio.gather(*waiting)
        assert state["most_open"] == MAX_CONNECTIONS
        await pipeline.accept([stamped()])  # and it forwards normally again
    finally:
        await pipeline.stop()
        server.stop()
        await server.close_all_connections()
