"""What any authenticated caller may ask: who they are, and what the capture plugin must honour."""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..errors import Unavailable
from .base import TrackerHandler


class MeHandler(TrackerHandler):
    """Who the caller is, as the tracker sees them."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Answer the caller's name, instructor flag, the server's mode and the caller's courses.

        The courses come from the caller's groups; their sections also from the store, when it
        can be reached (who the caller is never waits for a database that is down).
        """
        from .assignments import courses_of  # the dashboard's handlers load on first use

        caller = self.caller
        use_store = True
        try:
            await self.runtime.ready()
        except Unavailable:
            use_store = False
        self.reply(
            200,
            {
                "userId": caller.user_id,
                "isInstructor": caller.is_instructor,
                "isAdmin": caller.is_admin,
                "mode": self.runtime.mode,
                "courses": await courses_of(caller, self.runtime, use_store=use_store),
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
                "heartbeatSeconds": capture.heartbeat_seconds,
                "helpErrorThreshold": dashboard.help_error_threshold,
                "helpIdleMinutes": dashboard.help_idle_minutes,
            },
        )
