"""Operators can see: /metrics on a collector for the right credentials, the queue's figures,
and log records with time and level, the pipeline's INFO lines included."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from jupyter_server.auth.identity import IdentityProvider, User
from pipeline_kit import eventually

from tests.conftest import make_event
from tests.jupyter_process import JupyterServer

pytestmark = pytest.mark.services

METRICS_TOKEN = "configured-metrics-secret"
SERVICE_ACCESS = "access:services!service=progress-tracker"
HUB_TOKENS = {
    "prometheus-hub-token": {"name": "prometheus", "groups": [], "scopes": ["read:metrics"]},
    "student-hub-token": {"name": "student1", "groups": ["students"], "scopes": []},
}


@dataclass
class HubUser(User):
    hub_user: dict[str, Any] = field(default_factory=dict)


class HubTokens(IdentityProvider):
    """Answers like JupyterHub's identity provider: hub users with their token's scopes."""

    async def get_user(self, handler: Any) -> HubUser | None:
        token = handler.request.headers.get("Authorization", "").removeprefix("token ")
        model = HUB_TOKENS.get(token.strip())
        if model is None:
            return None
        handler._token_authenticated = True
        scopes = [SERVICE_ACCESS, *model["scopes"]]
        return HubUser(username=model["name"], hub_user={**model, "scopes": scopes})


class TestMetricsOfACollector:
    @pytest.fixture
    def jp_server_config(self, jp_server_config):
        jp_server_config["ServerApp"]["identity_provider_class"] = HubTokens
        jp_server_config["ProgressTracker"].update(mode="collector", metrics_token=METRICS_TOKEN)
        return jp_server_config

    @pytest.fixture
    def fetch_metrics(self, http_server_client, jp_base_url):
        async def fetch(authorization: str | None) -> int:
            headers = {"Authorization": authorization} if authorization else {}
            response = await http_server_client.fetch(
                f"{jp_base_url}metrics", headers=headers, raise_error=False
            )
            if response.code == 200:
                assert b"progress_tracker_events_accepted_total" in response.body
            return response.code

        return fetch

    async def test_the_configured_token_and_a_hub_token_with_read_metrics_may_read_them(
        self, fetch_metrics
    ):
        assert await fetch_metrics(f"Bearer {METRICS_TOKEN}") == 200
        assert await fetch_metrics(f"token {METRICS_TOKEN}") == 200
        assert await fetch_metrics("token prometheus-hub-token") == 200

    async def test_nobody_else_may(self, fetch_metrics):
        assert await fetch_metrics(None) == 403
        assert await fetch_metrics("token student-hub-token") == 403
        assert await fetch_metrics("Bearer a-guess") == 403


class TestQueueFigures:
    @pytest.fixture
    def jp_server_config(self, jp_server_config, postgres_url, private_redis, redis_prefix):
        redis = private_redis(appendonly=True)
        jp_server_config["ProgressTracker"].update(database_url=postgres_url, redis_url=redis.url)
        return {**jp_server_config, "EventQueue": {"key_prefix": redis_prefix}}

    async def test_metrics_show_depth_age_bytes_durability_restarts_losses_and_publishing(
        self, jp_fetch, jp_serverapp
    ):
        body = json.dumps([make_event()])
        await jp_fetch("api", "v1", "events", method="POST", body=body)

        async def figures():
            text = (await jp_fetch("metrics")).body.decode()
            return text if 'progress_tracker_queue_depth{group="database"}' in text else None

        text = await eventually(figures)
        for name in (
            'progress_tracker_queue_oldest_waiting_seconds{group="database"}',
            "progress_tracker_queue_bytes",
            "progress_tracker_queue_durable 1.0",
            "progress_tracker_queue_volatile 0.0",
            "progress_tracker_queue_losses_total",
            "progress_tracker_live_publish_failures_total",
            "progress_tracker_task_restarts_total",
            "progress_tracker_consumer_restarts_total",
            'progress_tracker_sink_failing{sink="database"}',
        ):
            assert name in text, name


async def test_log_records_have_time_and_level_and_the_pipelines_info_lines(
    tmp_path, postgres_url, private_redis, redis_prefix
):
    redis = private_redis(appendonly=True)
    server = JupyterServer(
        tmp_path / "collector",
        postgres_url,
        f"--ProgressTracker.redis_url={redis.url}",
        f"--EventQueue.key_prefix={redis_prefix}",
    )
    try:
        await asyncio.to_thread(server.start)
        status, _ = await asyncio.to_thread(server.call, "POST", "events", [make_event()])
        assert status == 202

        async def logged():
            return re.search(
                r"^\[I \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} progress_tracker\.queue\.consumer\] "
                r"database: consumer \S+ started$",
                server.log.read_text(),
                re.MULTILINE,
            )

        await eventually(logged)
    finally:
        if server.process and server.process.poll() is None:
            await asyncio.to_thread(server.stop)
