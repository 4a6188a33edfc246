"""Privacy and data governance: consent, capture levels, retention, subject rights, audit, ProgSnap2.

Light to import (a forwarder loads the policy and the attribution only); the modules that reach
the database, InfluxDB or Redis are imported where they are used.
"""

from .attribution import DEFAULT_COURSE, course_of, courses_of_caller, is_admin
from .levels import CaptureLevel
from .policy import Consent, CoursePolicy, PrivacySettings

__all__ = [
    "DEFAULT_COURSE",
    "CaptureLevel",
    "Consent",
    "CoursePolicy",
    "PrivacySettings",
    "course_of",
    "courses_of_caller",
    "is_admin",
]
