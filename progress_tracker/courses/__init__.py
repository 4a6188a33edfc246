"""Who belongs where: courses, their members' roles, and what each caller may read.

Imported by the access layer (a forwarder resolves roles too), so nothing here loads the store.
"""

from __future__ import annotations

import re

# The course of the embedded server, and of every event no configured course claims.
IMPLICIT_COURSE = "default"
COURSE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
SECTION_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")

INSTRUCTOR, TA, STUDENT = "instructor", "ta", "student"
ROLES = (INSTRUCTOR, TA, STUDENT)
