"""Data governance APIs: the audit log and subject rights (administrators), ProgSnap2 exports."""

from __future__ import annotations

import tempfile

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..errors import BadRequest, Forbidden, TrackerError
from ..privacy.attribution import COURSE_ID, is_admin
from ..privacy.service import PrivacyService
from .audit_hook import audit_access, course_in_scope
from .base import InstructorHandler, TrackerHandler

ADMINS_ONLY = "Only hub administrators may use this API."
CHUNK = 64 * 1024


class AdminHandler(TrackerHandler):
    """An administrators' API, once the runtime has started."""

    access = "admin"

    async def prepare(self) -> None:  # type: ignore[override]
        """Refuse anyone but a hub administrator before any verb runs."""
        await super().prepare()
        if self._finished or self.current_user is None:
            return
        if not is_admin(self.caller):
            raise Forbidden(ADMINS_ONLY)
        await self.runtime.ready()

    @property
    def privacy(self) -> PrivacyService:
        """The privacy stage (the runtime is started by `prepare`)."""
        assert self.runtime.privacy is not None
        return self.runtime.privacy


class AuditHandler(AdminHandler):
    """Who read which course's dashboard, timeline or export, and when."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Newest entries first, by `course`, `actor`, `since`, `until`, `limit`."""
        entries = await self.privacy.audit_entries(
            course=self.get_argument("course", None),
            actor=self.get_argument("actor", None),
            since=self.time_argument("since"),
            until=self.time_argument("until"),
            limit=self.int_argument("limit", 1000, low=1, high=100_000),
        )
        self.reply(200, {"entries": entries})


class SubjectHandler(AdminHandler):
    """One student's data: everything stored (GET) or erased everywhere (DELETE)."""

    def _user(self) -> str:
        user = self.get_argument("user", "", strip=False)  # a name is matched exactly
        if not user or len(user) > 256:
            raise BadRequest("user must name a student (1 to 256 characters)")
        return user

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Export everything about `?user=` as JSON (every table, InfluxDB, Redis)."""
        user = self._user()
        await self.privacy.record(self.caller.user_id, "subject-export", None, target=user)
        data = await self.privacy.export_subject(user)
        self.set_header("Content-Disposition", 'attachment; filename="subject-export.json"')
        self.reply(200, data)

    @web.authenticated
    @authorized
    async def delete(self) -> None:
        """Erase `?user=` everywhere; `confirm` must repeat the name."""
        user = self._user()
        # 409: well-formed, but not confirmed
        if self.get_argument("confirm", "", strip=False) != user:
            raise TrackerError(
                "confirm must repeat the user name: erasure cannot be undone", status=409
            )
        report = await self.privacy.erase_subject(user)
        await self.privacy.record(
            self.caller.user_id, "subject-erase", None, target=report["alias"]
        )
        self.reply(200, report)


class ProgSnap2Handler(InstructorHandler):
    """A course's executions as a ProgSnap2 dataset (zip), SubjectIDs pseudonymised."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Stream the zip of `?course=` (the implicit course by default)."""
        course = await course_in_scope(self, instructors_only=True)
        if not COURSE_ID.match(course):
            raise BadRequest(f"course must be a course id, got {course[:80]!r}")
        privacy = self.runtime.privacy
        assert privacy is not None
        await audit_access(self, "progsnap2")
        with tempfile.TemporaryFile() as archive:
            await privacy.progsnap2(course, archive)
            archive.seek(0)
            self.set_header("Content-Type", "application/zip")
            self.set_header("Content-Disposition", f'attachment; filename="{course}-progsnap2.zip"')
            while chunk := archive.read(CHUNK):
                self.write(chunk)
                await self.flush()
        self.finish()
