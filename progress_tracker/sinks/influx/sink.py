"""The InfluxDB sink: a batch of events written as points through the configured API.

It does not retry: a failure says whether it is retryable, and the stream consumer (the one retry
layer) backs off and writes the same batch again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

from ...config.influx import InfluxSettings
from ...events import Event
from .points import event_point
from .transports import InfluxSinkError, Transport, V1Transport, V2Transport

__all__ = ["InfluxSink", "InfluxSinkError"]


class InfluxSink:
    """Writes batches of events to InfluxDB. Create and use it inside the loop that closes it."""

    name = "influxdb"

    def __init__(self, settings: InfluxSettings) -> None:
        self.settings = settings
        self._transport: Transport = (
            V1Transport(settings) if settings.api == "v1" else V2Transport(settings)
        )

    def __repr__(self) -> str:
        return f"InfluxSink({self.settings!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def write(self, events: Sequence[Event]) -> None:
        """Write every event as one point; InfluxSinkError (retryable or not) when that fails."""
        if events:
            await self._transport.send(
                [event_point(event, self.settings.measurement) for event in events]
            )

    async def ping(self) -> bool:
        """Whether the server answers its `/ping`."""
        return await self._transport.ping()

    async def close(self) -> None:
        """Release the HTTP connections; the sink may be used again afterwards."""
        await self._transport.close()
