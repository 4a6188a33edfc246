"""`c.CapturePolicy`: what students' browsers capture and send."""

from __future__ import annotations

from dataclasses import dataclass

from traitlets import Bool, Int, List, Unicode
from traitlets.config import Configurable


@dataclass(frozen=True)
class CaptureSettings:
    """What the capture plugin must honour (served at api/v1/settings)."""

    enabled: bool = True
    send_code: bool = True
    send_results: bool = True
    send_error_messages: bool = True
    track_patterns: tuple[str, ...] = ("**",)
    ignore_patterns: tuple[str, ...] = ()
    flush_interval_ms: int = 2000
    heartbeat_seconds: int = 60


class CapturePolicy(Configurable):
    """Operator and privacy settings of the browser capture plugin."""

    enabled = Bool(True, config=True, help="Whether browsers capture executions at all.")
    send_code = Bool(True, config=True, help="Whether browsers send the code of each cell run.")
    send_results = Bool(True, config=True, help="Whether browsers send a summary of each result.")
    send_error_messages = Bool(True, config=True, help="Whether browsers send error messages.")
    track_patterns = List(
        Unicode(),
        default_value=["**"],
        config=True,
        help="Glob patterns of notebook paths to capture (e.g. 'course/**').",
    )
    ignore_patterns = List(
        Unicode(), config=True, help="Glob patterns of notebook paths never captured."
    )
    flush_interval_ms = Int(
        2000, config=True, help="How long a browser gathers events before it sends a batch."
    )
    heartbeat_seconds = Int(
        60,
        min=5,
        config=True,
        help="""How often a browser says a notebook is still open (notebook_heartbeat); the
        dashboard counts a student as present for twice this long after the last one.""",
    )

    def settings(self) -> CaptureSettings:
        """The frozen settings."""
        return CaptureSettings(
            enabled=self.enabled,
            send_code=self.send_code,
            send_results=self.send_results,
            send_error_messages=self.send_error_messages,
            track_patterns=tuple(self.track_patterns),
            ignore_patterns=tuple(self.ignore_patterns),
            flush_interval_ms=self.flush_interval_ms,
            heartbeat_seconds=self.heartbeat_seconds,
        )
