"""The Redis keys of one deployment, all under one prefix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StreamKeys:
    """The Redis keys of one deployment, all under one prefix."""

    prefix: str

    @property
    def events(self) -> str:
        """The stream of accepted events."""
        return f"{self.prefix}:events"

    @property
    def dead(self) -> str:
        """The stream of entries that failed `max_attempts` times."""
        return f"{self.prefix}:dead"

    @property
    def live(self) -> str:
        """The pub/sub channel of newly persisted events."""
        return f"{self.prefix}:live"
