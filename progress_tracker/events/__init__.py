"""The event schema (pydantic), its bounds, and the reading of a POSTed batch."""

from .bounds import TextLimits
from .model import CELL_EVENTS, ClientEvent, Event, EventType

__all__ = ["CELL_EVENTS", "ClientEvent", "Event", "EventType", "TextLimits"]
