"""Options that moved from `c.ProgressTracker` into their own sections, kept for one release."""

from __future__ import annotations

import logging
from typing import Any

from traitlets import Any as AnyTrait
from traitlets import HasTraits
from traitlets.config import Config

# old c.ProgressTracker.<name> -> (section, new name)
RENAMED: dict[str, tuple[str, str]] = {
    "max_batch_events": ("EventIntake", "max_batch_events"),
    "max_body_bytes": ("EventIntake", "max_body_bytes"),
    "max_code_chars": ("EventIntake", "max_code_chars"),
    "max_result_chars": ("EventIntake", "max_result_chars"),
    "max_error_chars": ("EventIntake", "max_error_chars"),
    "max_metadata_bytes": ("EventIntake", "max_metadata_bytes"),
    "capture_enabled": ("CapturePolicy", "enabled"),
    "send_code": ("CapturePolicy", "send_code"),
    "send_results": ("CapturePolicy", "send_results"),
    "send_error_messages": ("CapturePolicy", "send_error_messages"),
    "track_patterns": ("CapturePolicy", "track_patterns"),
    "ignore_patterns": ("CapturePolicy", "ignore_patterns"),
    "flush_interval_ms": ("CapturePolicy", "flush_interval_ms"),
    "help_error_threshold": ("ProgressDashboard", "help_error_threshold"),
    "help_idle_minutes": ("ProgressDashboard", "help_idle_minutes"),
    "replay_limit": ("ProgressDashboard", "replay_limit"),
    "redis_key_prefix": ("EventQueue", "key_prefix"),
    "stream_max_len": ("EventQueue", "max_entries"),
    "consumer_batch_size": ("StreamConsumer", "batch_size"),
    "consumer_claim_idle_ms": ("StreamConsumer", "claim_idle_ms"),
    "consumer_max_attempts": ("StreamConsumer", "max_attempts"),
    "influxdb_url": ("InfluxDB", "url"),
    "influxdb_api": ("InfluxDB", "api"),
    "influxdb_org": ("InfluxDB", "org"),
    "influxdb_bucket": ("InfluxDB", "bucket"),
    "influxdb_token": ("InfluxDB", "token"),
    "influxdb_database": ("InfluxDB", "database"),
    "influxdb_retention_policy": ("InfluxDB", "retention_policy"),
    "influxdb_username": ("InfluxDB", "username"),
    "influxdb_password": ("InfluxDB", "password"),
}


def _deprecated(section: str, name: str) -> AnyTrait:
    return AnyTrait(
        None, allow_none=True, config=True, help=f"Deprecated: use c.{section}.{name} instead."
    )


# A mixin of the old names, so that configurations using them still load (with a warning).
DeprecatedOptions: type[HasTraits] = type(
    "DeprecatedOptions",
    (HasTraits,),
    {old: _deprecated(section, new) for old, (section, new) in RENAMED.items()},
)


def apply_renamed(config: Config, log: logging.Logger) -> None:
    """Copy each old option set in `config` to its new section (unless that is set too)."""
    ours: Any = config.get("ProgressTracker", {})
    for old, (section, new) in RENAMED.items():
        if old not in ours:
            continue
        log.warning("c.ProgressTracker.%s is deprecated: use c.%s.%s", old, section, new)
        if new not in config[section]:
            config[section][new] = ours[old]
