"""The Redis keys of one deployment, all under one prefix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StreamKeys:
    """The Redis keys of one deployment, all under one prefix (an ACL may allow only these)."""

    prefix: str

    @property
    def events(self) -> str:
        """The stream of accepted events."""
        return f"{self.prefix}:events"

    @property
    def events_bytes(self) -> str:
        """The bytes of the entries in the stream of accepted events (its bound)."""
        return f"{self.prefix}:events:bytes"

    @property
    def dead(self) -> str:
        """The stream of events a sink rejected for good."""
        return f"{self.prefix}:dead"

    @property
    def live(self) -> str:
        """The capped stream of numbered live messages (stored events)."""
        return f"{self.prefix}:live"

    @property
    def live_identity(self) -> str:
        """The identity of the live feed (new whenever its stream is lost)."""
        return f"{self.prefix}:live:feed"

    @property
    def help_channel(self) -> str:
        """The pub/sub channel of help queue changes (claims, resolutions) between processes."""
        return f"{self.prefix}:help"

    @property
    def verified(self) -> str:
        """Present while a collector has verified that Redis persists (or accepted it does not).

        Appends refuse without it, so a Redis that restarted without its data (and without
        this key) takes no event before it was checked again.
        """
        return f"{self.prefix}:queue:verified"

    @property
    def epoch(self) -> str:
        """The identity of this Redis's data: a different one means the queue was lost."""
        return f"{self.prefix}:queue:epoch"

    def heartbeat(self, group: str, consumer: str) -> str:
        """A key that expires when the consumer stops beating (it is then presumed dead)."""
        return f"{self.prefix}:consumers:{group}:{consumer}"
