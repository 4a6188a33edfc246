"""The InfluxDB sink (imported only when an InfluxDB URL is configured: it needs aiohttp)."""

from .points import event_point, event_time_ns, one_line
from .sink import InfluxSink
from .transports import InfluxSinkError

__all__ = ["InfluxSink", "InfluxSinkError", "event_point", "event_time_ns", "one_line"]
