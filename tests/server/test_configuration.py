"""Configuration: each stage has its own section; the old flat names still work for a release."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest
from tornado.httpclient import HTTPClientError
from traitlets.config import Config

from progress_tracker.config.deprecated import apply_renamed
from tests.conftest import make_event

pytestmark = pytest.mark.usefixtures("jp_serverapp")


def runtime_of(jp_serverapp):
    return next(iter(jp_serverapp.extension_manager.extension_apps["progress_tracker"])).runtime


async def post(jp_fetch, events) -> int:
    try:
        response = await jp_fetch("api", "v1", "events", method="POST", body=json.dumps(events))
    except HTTPClientError as err:
        return err.code
    return response.code


class TestSections:
    @pytest.fixture
    def jp_server_config(self, jp_server_config):
        return {
            **jp_server_config,
            "EventIntake": {"max_batch_events": 2},
            "CapturePolicy": {"send_code": False, "track_patterns": ["course/**"]},
            "ProgressDashboard": {"help_error_threshold": 5, "help_idle_minutes": 2.5},
            "StreamConsumer": {"max_attempts": 9},
            "EventQueue": {"key_prefix": "course-a"},
        }

    async def test_configure_what_the_server_and_the_browsers_do(self, jp_fetch, jp_serverapp):
        assert await post(jp_fetch, [make_event() for _ in range(3)]) == 413
        assert await post(jp_fetch, [make_event() for _ in range(2)]) == 202
        settings = json.loads((await jp_fetch("api", "v1", "settings")).body)
        assert (settings["sendCode"], settings["trackPatterns"]) == (False, ["course/**"])
        assert (settings["helpErrorThreshold"], settings["helpIdleMinutes"]) == (5, 2.5)
        runtime = runtime_of(jp_serverapp)
        assert runtime.settings.consumer.max_attempts == 9
        assert runtime.settings.queue.key_prefix == "course-a"


class TestDeprecatedNames:
    @pytest.fixture
    def jp_server_config(self, jp_server_config):
        tracker = {**jp_server_config["ProgressTracker"], "max_batch_events": 2}
        tracker.update(send_code=False, help_error_threshold=7, redis_key_prefix="old")
        return {
            **jp_server_config,
            "ProgressTracker": tracker,
            "ProgressDashboard": {"help_error_threshold": 4},
        }

    async def test_still_apply_and_the_new_name_wins(self, jp_fetch, jp_serverapp):
        assert await post(jp_fetch, [make_event() for _ in range(3)]) == 413
        settings = json.loads((await jp_fetch("api", "v1", "settings")).body)
        assert settings["sendCode"] is False
        assert settings["helpErrorThreshold"] == 4, "c.ProgressDashboard beats the old name"
        assert runtime_of(jp_serverapp).settings.queue.key_prefix == "old"


def test_every_option_is_listed_with_its_help():
    shown = subprocess.run(
        [sys.executable, "-m", "progress_tracker", "--help-all"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    for option in (
        "--ProgressTracker.database_url",
        "--EventIntake.max_body_bytes",
        "--CapturePolicy.track_patterns",
        "--ProgressDashboard.replay_limit",
        "--EventQueue.max_entries",
        "--StreamConsumer.claim_idle_ms",
        "--InfluxDB.token",
    ):
        assert option in shown, option
    assert "Deprecated: use c.InfluxDB.url instead." in shown


def test_an_old_name_warns_with_its_new_name(caplog):
    config = Config({"ProgressTracker": {"influxdb_url": "http://influx:8086"}})
    apply_renamed(config, logging.getLogger("test"))
    assert config.InfluxDB.url == "http://influx:8086"
    assert "c.ProgressTracker.influxdb_url is deprecated: use c.InfluxDB.url" in caplog.text
