"""GET api/v1/health: the pipeline's state, for instructors and operators.

Errors shown are those going on now (a recovered sink shows none; its last failure is kept
apart), and `warnings` lists what an operator must act on (a volatile queue, a lost queue, a
Redis without password, a sink failing).
"""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from .base import InstructorHandler


class HealthHandler(InstructorHandler):
    """Queue and sink state of this process (no student data: any instructor or TA)."""

    access = "staff"

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Answer the pipeline's report, the mode, live listeners and background tasks."""
        runtime = self.runtime
        assert runtime.pipeline is not None
        health = await runtime.pipeline.health()
        health["mode"] = runtime.mode
        health["liveListeners"] = runtime.live.listener_count
        health.setdefault("warnings", [])
        health["tasks"] = {
            "running": runtime.tasks.running,
            "restarts": dict(runtime.tasks.restarts),
            "lastCrash": dict(runtime.tasks.crashes),
        }
        self.reply(200, health)
