"""`c.Privacy`: per-course consent policy, capture level and retention, and the privacy tasks."""

from __future__ import annotations

from types import MappingProxyType

from traitlets import Dict, Enum, Float, Int, TraitError, validate
from traitlets.config import Configurable

from ..privacy.levels import CaptureLevel
from ..privacy.policy import Consent, CoursePolicy, PrivacySettings, policy_from


class Privacy(Configurable):
    """What is captured about students, with their consent, and how long it is kept.

    The options without a course are the defaults; `courses` overrides them per course id:
    `c.Privacy.courses = {"cs101": {"consent": "opt-in", "capture_level": "metadata",
    "retention_days": 180}}`.
    """

    consent = Enum(
        [c.value for c in Consent],
        default_value=Consent.NOTICE.value,
        config=True,
        help="""Default consent policy. 'notice': capture is on and every student sees a notice
        of what is sent. 'opt-in': nothing is sent or kept until the student agrees (in the
        status bar of their JupyterLab). 'opt-out': capture is on until the student switches it
        off. The choice is stored by the server (api/v1/consent).""",
    )
    capture_level = Enum(
        [c.value for c in CaptureLevel],
        default_value=CaptureLevel.RESULTS.value,
        config=True,
        help="""Default capture level. 'metadata': which cell ran when, how long, whether it
        failed; 'errors': plus error messages; 'code': plus the cell's source; 'results': plus
        a summary of its output (everything). The collector drops what is above the level of
        the event's course, whatever the client sends.""",
    )
    retention_days = Int(
        0,
        config=True,
        help="""Default retention in days: executions, notebook events and their InfluxDB
        points older than this are deleted by the purge task. 0 keeps them until erased.""",
    )
    courses = Dict(
        config=True,
        help="""Per-course policies by course id, each a dict with any of 'consent',
        'capture_level', 'retention_days'; what a course omits is the default.""",
    )
    purge_interval_minutes = Float(
        60, config=True, help="How often a collector runs the retention purge, in minutes."
    )
    check_in_seconds = Int(
        60,
        config=True,
        help="""How often a student's capture plugin reports in (api/v1/consent): a student
        whose plugin stopped reporting is counted as 'capture off' on the dashboard.""",
    )
    silent_after_minutes = Float(
        5,
        config=True,
        help="""Minutes without a report from a student's capture plugin after which the
        dashboard counts that student's capture as off (plugin disabled or page closed).""",
    )

    @validate("courses")
    def _valid_courses(self, proposal: dict) -> dict:
        for course, raw in proposal["value"].items():
            if not isinstance(raw, dict):
                raise TraitError(f"Privacy.courses[{course!r}] must be a dict")
            try:
                policy_from(raw, CoursePolicy())
            except ValueError as err:
                raise TraitError(f"Privacy.courses[{course!r}]: {err}") from None
        return proposal["value"]

    def settings(self) -> PrivacySettings:
        """The frozen settings."""
        default = CoursePolicy(
            consent=Consent(self.consent),
            capture_level=CaptureLevel(self.capture_level),
            retention_days=max(0, self.retention_days),
        )
        courses = {str(k): policy_from(v, default) for k, v in self.courses.items()}
        return PrivacySettings(
            default=default,
            courses=MappingProxyType(courses),
            purge_interval_s=max(1.0, self.purge_interval_minutes * 60),
            check_in_seconds=max(5, self.check_in_seconds),
            silent_after_s=max(10.0, self.silent_after_minutes * 60),
        )
