"""Per-course privacy policies: consent, capture level and retention, with the defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from .levels import CaptureLevel


class Consent(StrEnum):
    """How a course asks its students.

    notice: capture is on and the notice is shown (the student cannot switch it off);
    opt-in: nothing is sent or kept until the student agrees;
    opt-out: capture is on until the student switches it off.
    """

    NOTICE = "notice"
    OPT_IN = "opt-in"
    OPT_OUT = "opt-out"


@dataclass(frozen=True)
class CoursePolicy:
    """The privacy policy of one course."""

    consent: Consent = Consent.NOTICE
    capture_level: CaptureLevel = CaptureLevel.RESULTS
    # 0: kept until erased; otherwise executions and events older than this many days are purged.
    retention_days: int = 0

    def capture_on(self, choice: bool | None) -> bool:
        """Whether a student's events are captured, given their stored choice (None: none)."""
        if self.consent is Consent.NOTICE:
            return True
        if self.consent is Consent.OPT_IN:
            return choice is True
        return choice is not False

    @property
    def student_may_choose(self) -> bool:
        """Whether the student may switch capture on or off."""
        return self.consent is not Consent.NOTICE


def policy_from(raw: Mapping[str, object], default: CoursePolicy) -> CoursePolicy:
    """A course's policy from its configuration mapping; what it omits is `default`'s.

    ValueError naming the key when a value is not one of the allowed ones.
    """
    unknown = set(raw) - {"consent", "capture_level", "retention_days"}
    if unknown:
        raise ValueError(f"unknown privacy option(s) {sorted(unknown)}")
    try:
        consent = Consent(raw.get("consent", default.consent))
    except ValueError:
        raise ValueError(f"consent must be one of {[c.value for c in Consent]}") from None
    try:
        level = CaptureLevel(raw.get("capture_level", default.capture_level))
    except ValueError:
        raise ValueError(
            f"capture_level must be one of {[c.value for c in CaptureLevel]}"
        ) from None
    days = raw.get("retention_days", default.retention_days)
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise ValueError("retention_days must be a whole number of days, 0 or more")
    return CoursePolicy(consent=consent, capture_level=level, retention_days=days)


@dataclass(frozen=True)
class PrivacySettings:
    """Every course's policy (by course id) and the schedule of the privacy tasks."""

    default: CoursePolicy = field(default_factory=CoursePolicy)
    courses: Mapping[str, CoursePolicy] = field(default_factory=lambda: MappingProxyType({}))
    purge_interval_s: float = 3600.0
    check_in_seconds: int = 60
    silent_after_s: float = 300.0

    def policy(self, course: str) -> CoursePolicy:
        """The policy of `course` (the default one when it has none of its own)."""
        return self.courses.get(course, self.default)

    def retained_courses(self) -> dict[str, int]:
        """Retention in days of every course that has one (key "*" for the default)."""
        kept = {course: p.retention_days for course, p in self.courses.items() if p.retention_days}
        if self.default.retention_days:
            kept["*"] = self.default.retention_days
        return kept
