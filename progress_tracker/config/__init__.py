"""Configuration: one configurable per stage (its own `c.<Section>.*` options) and their settings.

Each configurable turns into a frozen settings dataclass; the runtime and everything below the
handlers read only those, never the traitlets objects.
"""

from .capture import CapturePolicy, CaptureSettings
from .courses import Courses, CourseSettings
from .dashboard import DashboardSettings, ProgressDashboard
from .influx import InfluxDB, InfluxSettings
from .intake import EventIntake, IntakeSettings
from .privacy import Privacy
from .queue import ConsumerSettings, EventQueue, QueueSettings, StreamConsumer

SECTIONS = (
    EventIntake,
    CapturePolicy,
    ProgressDashboard,
    Courses,
    EventQueue,
    StreamConsumer,
    InfluxDB,
    Privacy,
)

__all__ = [
    "SECTIONS",
    "CapturePolicy",
    "CaptureSettings",
    "ConsumerSettings",
    "CourseSettings",
    "Courses",
    "DashboardSettings",
    "EventIntake",
    "EventQueue",
    "InfluxDB",
    "InfluxSettings",
    "IntakeSettings",
    "Privacy",
    "ProgressDashboard",
    "QueueSettings",
    "StreamConsumer",
]
