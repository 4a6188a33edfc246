"""`c.ProgressDashboard`: how the instructor dashboard judges and catches up."""

from __future__ import annotations

from dataclasses import dataclass

from traitlets import Float, Int
from traitlets.config import Configurable


@dataclass(frozen=True)
class DashboardSettings:
    """Thresholds the dashboard applies and the bound of a live catch-up."""

    help_error_threshold: int = 3
    help_idle_minutes: float = 10
    replay_limit: int = 10_000


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
        10_000, config=True, help="Most events replayed to a reconnecting dashboard."
    )

    def settings(self) -> DashboardSettings:
        """The frozen settings."""
        return DashboardSettings(
            help_error_threshold=self.help_error_threshold,
            help_idle_minutes=self.help_idle_minutes,
            replay_limit=self.replay_limit,
        )
