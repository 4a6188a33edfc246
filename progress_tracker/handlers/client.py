"""What any authenticated caller may ask: who they are, and what the capture plugin must honour."""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from .base import TrackerHandler


class MeHandler(TrackerHandler):
    """Who the caller is, as the tracker sees them."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Answer the caller's name, instructor flag and the server's mode."""
        caller = self.caller
        self.reply(
            200,
            {
                "userId": caller.user_id,
                "isInstructor": caller.is_instructor,
                "mode": self.runtime.mode,
            },
        )


class SettingsHandler(TrackerHandler):
    """What the capture plugin must honour (operator and privacy settings)."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Answer the capture settings configured by the operator."""
        settings = self.runtime.settings
        capture, dashboard = settings.capture, settings.dashboard
        self.reply(
            200,
            {
                "captureEnabled": capture.enabled,
                "sendCode": capture.send_code,
                "sendResults": capture.send_results,
                "sendErrorMessages": capture.send_error_messages,
                "trackPatterns": list(capture.track_patterns),
                "ignorePatterns": list(capture.ignore_patterns),
                "maxBatchEvents": settings.intake.max_batch_events,
                "flushIntervalMs": capture.flush_interval_ms,
                "helpErrorThreshold": dashboard.help_error_threshold,
                "helpIdleMinutes": dashboard.help_idle_minutes,
            },
        )
