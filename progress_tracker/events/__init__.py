"""The event schema (pydantic), its bounds, and the reading of a POSTed batch."""

from .bounds import EventLimits
from .model import CELL_EVENTS, NO_CELL, NO_NOTEBOOK, ClientEvent, Event, EventType

__all__ = [
    "CELL_EVENTS",
    "NO_CELL",
    "NO_NOTEBOOK",
    "ClientEvent",
    "Event",
    "EventLimits",
    "EventType",
]
