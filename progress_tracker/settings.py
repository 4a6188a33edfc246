"""The settings object the runtime is built from: plain frozen values, resolved once at start."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .access.mode import Role
from .config import (
    CaptureSettings,
    ConsumerSettings,
    CourseSettings,
    DashboardSettings,
    InfluxSettings,
    IntakeSettings,
    QueueSettings,
)
from .privacy.policy import PrivacySettings


@dataclass(frozen=True)
class IdentitySettings:
    """How callers are named and who counts as an instructor."""

    owner_name: str = "owner"
    instructor_groups: tuple[str, ...] = ("instructors",)
    instructor_users: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """Everything one server's runtime needs to know, taken from the configuration once."""

    role: Role
    data_dir: Path
    database_url: str = ""
    database_pool_size: int = 5
    redis_url: str = ""
    pseudonym_secret: str = ""
    demo_class: bool = False
    identity: IdentitySettings = field(default_factory=IdentitySettings)
    intake: IntakeSettings = field(default_factory=IntakeSettings)
    capture: CaptureSettings = field(default_factory=CaptureSettings)
    dashboard: DashboardSettings = field(default_factory=DashboardSettings)
    courses: CourseSettings = field(default_factory=CourseSettings)
    queue: QueueSettings = field(default_factory=QueueSettings)
    consumer: ConsumerSettings = field(default_factory=ConsumerSettings)
    influx: InfluxSettings | None = None
    privacy: PrivacySettings = field(default_factory=PrivacySettings)

    @property
    def mode(self) -> str:
        """'embedded', 'collector' or 'forwarder'."""
        return self.role.mode
