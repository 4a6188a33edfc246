"""What the fault suite drives a collector with: browser-like students, and a dashboard that
follows the live socket as the labextension does (sequence numbers, resync from a snapshot)."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from tests.conftest import make_event
from tests.jupyter_process import JupyterServer


class Student:
    """Posts batches like the capture plugin's outbox: each batch until it gets its 202."""

    def __init__(
        self,
        server: JupyterServer,
        notebook: str,
        *,
        batch: int = 5,
        pause_s: float = 0.02,
        token: str | None = None,
    ):
        self.server = server
        self.token = token or server.token  # the server's owner unless a student's token
        self.notebook = notebook
        self.batch = batch
        self.pause_s = pause_s
        self.acknowledged: list[tuple[float, str]] = []  # (when the 202 came, eventId)
        self.refusals = 0
        self.stopping = False
        self._client = AsyncHTTPClient(force_instance=True)

    def acknowledged_by(self, moment: float) -> set[str]:
        return {event_id for at, event_id in self.acknowledged if at <= moment}

    async def post(self, events: list[dict]) -> int:
        request = HTTPRequest(
            f"http://127.0.0.1:{self.server.port}/api/v1/events",
            method="POST",
            body=json.dumps(events),
            headers={"Authorization": f"token {self.token}"},
            request_timeout=30,
        )
        try:
            response = await self._client.fetch(request, raise_error=False)
        except OSError:
            return 0
        return response.code

    async def run(self) -> None:
        number = 0
        while not self.stopping:
            events = [
                make_event(notebookPath=self.notebook, cellId=f"c{number}-{i}")
                for i in range(self.batch)
            ]
            number += 1
            while True:  # the same eventIds until accepted, as the outbox retries
                status = await self.post(events)
                if status == 202:
                    now = time.monotonic()
                    self.acknowledged += [(now, e["eventId"]) for e in events]
                    break
                assert status in (0, 503), f"a browser would not retry HTTP {status}"
                self.refusals += 1
                await asyncio.sleep(0.1)  # the outbox's retry pace
            await asyncio.sleep(self.pause_s)  # the student's own pace
        self._client.close()


@dataclass
class Dashboard:
    """Follows api/v1/ws from a snapshot's position; on a gap it reconnects from its last
    message, on a resync it reloads the snapshot (never the page)."""

    server: JupyterServer
    ids: set[str] = field(default_factory=set)
    received_at: dict[str, float] = field(default_factory=dict)
    resyncs: list[str] = field(default_factory=list)
    gaps: int = 0
    connections: int = 0
    stopping: bool = False
    feed: str | None = None
    seq: int = 0

    async def snapshot(self) -> None:
        client = AsyncHTTPClient(force_instance=True)
        try:
            while True:
                response = await client.fetch(
                    f"http://127.0.0.1:{self.server.port}/api/v1/progress",
                    headers={"Authorization": f"token {self.server.token}"},
                    raise_error=False,
                )
                if response.code == 200:
                    body = json.loads(response.body)
                    self.feed, self.seq = body["liveFeed"], body["liveSeq"]
                    return
                await asyncio.sleep(0.2)
        finally:
            client.close()

    async def run(self) -> None:
        while not self.stopping:
            if self.feed is None:
                await self.snapshot()
            url = f"ws://127.0.0.1:{self.server.port}/api/v1/ws?feed={self.feed}&after={self.seq}"
            request = HTTPRequest(url, headers={"Authorization": f"token {self.server.token}"})
            try:
                ws = await websocket_connect(request)
            except (OSError, HTTPClientError):  # the collector is restarting or refuses: retry
                await asyncio.sleep(0.2)
                continue
            self.connections += 1
            try:
                await self._follow(ws)
            finally:
                ws.close()

    async def _follow(self, ws) -> None:
        while not self.stopping:
            raw = await ws.read_message()
            if raw is None:
                await asyncio.sleep(0.2)
                return
            message = json.loads(raw)
            if message["type"] == "events":
                if message["seq"] != self.seq + 1:
                    self.gaps += 1
                    return  # reconnect from the last message seen
                self.seq = message["seq"]
                now = time.monotonic()
                for event in message["events"]:
                    self.ids.add(event["eventId"])
                    self.received_at.setdefault(event["eventId"], now)
            elif message["type"] == "resync":
                self.resyncs.append(message["reason"])
                self.feed = None
                return


def notebook() -> str:
    return f"faults/{uuid.uuid4().hex[:8]}.ipynb"
