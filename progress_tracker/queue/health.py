"""What a consumer reports: counters, the error it is in now (cleared on recovery), its history."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from .. import metrics

log = logging.getLogger(__name__)

REPEAT_LOG_S = 30.0  # the same failure is logged again at most this often


@dataclass
class ConsumerState:
    """The state of one consumer, for the health endpoint and the logs."""

    group: str
    persisted: int = 0
    dead_lettered: int = 0
    last_error: str | None = None  # the failure going on now; None once it recovered
    failing_since: float | None = None
    last_failure: dict[str, Any] | None = None  # the latest failure, kept after recovery
    last_success_at: float | None = None
    failures: int = 0  # failed rounds, all told
    crashes: int = 0
    groups_recreated: int = 0
    group_created: bool = False
    _crashes_by_entry: dict[str, int] = field(default_factory=dict)
    _logged: tuple[str, float] = ("", 0.0)

    def __post_init__(self) -> None:
        # Present from the start (at 0), so that dashboards and alerts find the series.
        metrics.SINK_FAILING.labels(self.group).set(0)
        metrics.CONSUMER_RESTARTS.labels(self.group)

    def failed(self, message: str, *, crash: bool = False) -> None:
        """Record a failure (an outage, a refused batch, a crash) that is being retried."""
        now = time.time()
        message = message[:500]
        self.failures += 1
        self.last_error = message
        if self.failing_since is None:
            self.failing_since = now
        self.last_failure = {"message": message, "at": now}
        metrics.SINK_FAILING.labels(self.group).set(1)
        if crash:
            self.crashes += 1
            metrics.CONSUMER_RESTARTS.labels(self.group).inc()
        if self._logged[0] != message or now - self._logged[1] > REPEAT_LOG_S:
            self._logged = (message, now)
            log.warning("%s: %s (retrying)", self.group, message)

    def recovered(self) -> None:
        """A step went through: the failure, if any, is over."""
        if self.last_error is None:
            return
        since = self.failing_since or time.time()
        log.info(
            "%s: recovered after %.1f s (%s)", self.group, time.time() - since, self.last_error
        )
        self.last_error = None
        self.failing_since = None
        self._logged = ("", 0.0)
        self._crashes_by_entry.clear()
        metrics.SINK_FAILING.labels(self.group).set(0)

    def crashed_on(self, entry_id: str) -> int:
        """Count a crash while handling `entry_id`; how many there were in a row."""
        count = self._crashes_by_entry.get(entry_id, 0) + 1
        self._crashes_by_entry[entry_id] = count
        return count

    def report(self) -> dict[str, Any]:
        """The state as the health endpoint shows it."""
        return {
            "persisted": self.persisted,
            "deadLettered": self.dead_lettered,
            "lastError": self.last_error,
            "failingSince": self.failing_since,
            "lastFailure": self.last_failure,
            "lastSuccessAt": self.last_success_at,
            "failures": self.failures,
            "crashes": self.crashes,
            "groupsRecreated": self.groups_recreated,
        }


_SUMMED = (
    "persisted",
    "deadLettered",
    "failures",
    "crashes",
    "groupsRecreated",
    "suspects",
    "reclaimed",
    "removedConsumers",
)


def group_report(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """One sink's report from those of its concurrent writers (one consumer each, one group):
    counters summed, the failure going on now and the latest one, the first consumer's name."""
    merged = dict(reports[0])
    for report in reports[1:]:
        for key in _SUMMED:
            merged[key] = merged.get(key, 0) + report.get(key, 0)
        merged["lastError"] = merged["lastError"] or report["lastError"]
        merged["failingSince"] = _earliest(merged["failingSince"], report["failingSince"])
        merged["lastSuccessAt"] = _latest(merged["lastSuccessAt"], report["lastSuccessAt"])
        failures = [f for f in (merged["lastFailure"], report["lastFailure"]) if f]
        merged["lastFailure"] = max(failures, key=lambda f: f["at"]) if failures else None
    merged["writers"] = len(reports)
    return merged


def _earliest(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else min(a, b)


def _latest(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else max(a, b)
