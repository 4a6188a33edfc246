"""api/v1/consent: a student's notice and consent (GET, PUT), and the dashboard's counts."""

from __future__ import annotations

import json
from typing import Any

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..errors import BadRequest, Forbidden, TrackerError
from ..privacy.attribution import courses_of_caller, home_course
from ..privacy.consent import StudentConsent
from ..privacy.levels import sent_fields, wire_fields_above
from ..privacy.service import PrivacyService
from .audit_hook import course_in_scope
from .base import InstructorHandler, TrackerHandler


def consent_view(privacy: PrivacyService, course: str, state: StudentConsent) -> dict[str, Any]:
    """What a student's JupyterLab shows: the policy, the choice, and exactly what is sent."""
    policy = privacy.settings.policy(course)
    return {
        "course": course,
        "policy": policy.consent.value,
        "captureLevel": policy.capture_level.value,
        "retentionDays": policy.retention_days,
        "choice": state.choice,
        "chosenAt": state.chosen_at.isoformat() if state.chosen_at else None,
        "captureOn": policy.capture_on(state.choice),
        "mayChoose": policy.student_may_choose,
        "sent": sent_fields(policy.capture_level),
        "notSent": wire_fields_above(policy.capture_level),
        "checkInSeconds": privacy.settings.check_in_seconds,
    }


def _unprocessable(field: str, error: str) -> TrackerError:
    return TrackerError(f"{field} {error}.", status=422, errors=[{"field": field, "error": error}])


class _CallerConsent(TrackerHandler):
    """What the consent handlers share: the privacy stage, the caller's courses, the report."""

    async def _privacy(self) -> PrivacyService:
        runtime = await self.runtime.ready()
        assert runtime.privacy is not None
        return runtime.privacy

    def _course(self, requested: str | None) -> str:
        courses = courses_of_caller(self.caller)
        course = requested or home_course(self.caller)
        if course not in courses:
            raise Forbidden(f"You are not a student of course {course!r}.")
        return course

    def _capturing(self) -> bool | None:
        """`?capturing=true|false`: the capture plugin reporting in (None: it is not)."""
        capturing = self.get_argument("capturing", None)
        if capturing is not None and capturing not in ("true", "false"):
            raise BadRequest("capturing must be true or false")
        return None if capturing is None else capturing == "true"


class ConsentHandler(_CallerConsent):
    """The caller's own consent state in one of their courses."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """The notice and choice; `?capturing=true|false` is the capture plugin reporting in."""
        privacy = await self._privacy()
        course = self._course(self.get_argument("course", None))
        capturing = self._capturing()
        if capturing is not None:
            await privacy.consents.check_in(course, self.caller.user_id, capturing)
        else:
            await privacy.consents.know(course, self.caller.user_id)
        state = await privacy.consents.state(course, self.caller.user_id)
        self.reply(200, consent_view(privacy, course, state))

    @web.authenticated
    @authorized
    async def put(self) -> None:
        """Store the caller's choice: `{"capture": true|false}`, in `?course=` (or the body's
        `course`; the caller's home course without either)."""
        try:
            body = json.loads(self.request.body or b"")
        except ValueError:
            raise BadRequest(
                'The body must be JSON: {"capture": true} or {"capture": false}.'
            ) from None
        if not isinstance(body, dict):
            raise BadRequest('The body must be a JSON object: {"capture": true|false}.')
        capture, course = body.get("capture"), body.get("course")
        if not isinstance(capture, bool):
            raise _unprocessable("capture", "must be true or false")
        if course is not None and not isinstance(course, str):
            raise _unprocessable("course", "must be a course id")
        queried = self.get_argument("course", None)
        for named in (queried, course):
            if named is not None:
                self._course(named)  # 403 for a course not theirs, whichever names it
        if queried is not None and course is not None and queried != course:
            raise _unprocessable("course", "differs from the query's course")
        privacy = await self._privacy()
        course = self._course(queried or course)
        if not privacy.settings.policy(course).student_may_choose:
            raise TrackerError(  # 409: the request is fine, the course's policy says no
                f"Course {course!r} captures with a notice: capture cannot be switched off "
                "(the notice lists what is sent).",
                status=409,
                errors=[{"field": "capture", "error": "this course's policy is 'notice'"}],
            )
        state = await privacy.consents.choose(course, self.caller.user_id, capture)
        self.reply(200, consent_view(privacy, course, state))


class ConsentCoursesHandler(_CallerConsent):
    """Every course whose policy applies to the caller's events: a notice and choice each."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """The caller's courses; `?capturing=true|false` reports in for each of them.

        The plugin says whether it runs; in each course it captures when it runs and that
        course's state lets it (the plugin gates every event by its course's state), so the
        dashboard's counts of every course hear from it, not only its home course's.
        """
        privacy = await self._privacy()
        capturing = self._capturing()
        user = self.caller.user_id
        courses = courses_of_caller(self.caller)
        states = await privacy.consents.states(courses, user)
        for course in courses:
            if capturing is None:
                await privacy.consents.know(course, user)
            else:
                on = capturing and privacy.settings.policy(course).capture_on(states[course].choice)
                await privacy.consents.check_in(course, user, on)
        self.reply(
            200,
            {
                "home": home_course(self.caller),
                "courses": [consent_view(privacy, course, states[course]) for course in courses],
            },
        )


class ConsentCountsHandler(InstructorHandler):
    """How many students of a course opted out or have capture off: counts, never names."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """Answer the counts of `?course=` (the implicit course by default)."""
        privacy = self.runtime.privacy
        assert privacy is not None
        self.reply(200, await privacy.consents.counts(await course_in_scope(self)))
