"""`c.ProgressDashboard`: how the instructor dashboard judges and catches up."""

from __future__ import annotations

from dataclasses import dataclass

from traitlets import Bool, Float, Int
from traitlets.config import Configurable


@dataclass(frozen=True)
class DashboardSettings:
    """Thresholds the dashboard applies and the bound of a live catch-up."""

    help_error_threshold: int = 3
    help_idle_minutes: float = 10
    replay_limit: int = 2000
    live_message_bytes: int = 256 * 1024
    live_backlog_bytes: int = 8 * 1024 * 1024
    compress_responses: bool = True
    signal_idle_minutes: float = 5


class ProgressDashboard(Configurable):
    """The instructor dashboard's thresholds and live catch-up."""

    help_error_threshold = Int(
        3,
        config=True,
        help="Errors on one cell after which the dashboard lists a student as stuck.",
    )
    help_idle_minutes = Float(
        10, config=True, help="Minutes without activity after which a started student is listed."
    )
    replay_limit = Int(
        2000,
        config=True,
        help="""Live messages kept for dashboards that reconnect (each holds up to
        live_message_bytes of events); a dashboard further behind reloads its snapshot.""",
    )
    live_message_bytes = Int(
        256 * 1024,
        config=True,
        help="""Largest live message, in bytes: a larger batch of stored events is split (an
        event larger than this goes alone).""",
    )
    live_backlog_bytes = Int(
        8 * 1024 * 1024,
        config=True,
        help="""Bytes a dashboard's socket may have unsent; a dashboard further behind (slow
        network, busy browser) is told to reload its snapshot instead of being sent more.""",
    )

    compress_responses = Bool(
        True,
        config=True,
        help="""Gzip the server's answers for clients that accept it (Tornado's
        compress_response, as ServerApp.tornado_settings={"compress_response": True} would):
        a class's snapshot is JSON that shrinks about tenfold.""",
    )

    signal_idle_minutes = Float(
        5,
        config=True,
        help="""The idle cut-off of the "time on cell" struggle signal, in minutes: a longer gap
        between a student's activity and their next run of a cell is a break, and only this
        much of it counts as time on the cell.""",
    )

    def settings(self) -> DashboardSettings:
        """The frozen settings."""
        return DashboardSettings(
            help_error_threshold=self.help_error_threshold,
            help_idle_minutes=self.help_idle_minutes,
            replay_limit=self.replay_limit,
            live_message_bytes=self.live_message_bytes,
            live_backlog_bytes=self.live_backlog_bytes,
            compress_responses=self.compress_responses,
            signal_idle_minutes=self.signal_idle_minutes,
        )
