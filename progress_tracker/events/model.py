"""The event schema: what a client may send and what the pipeline carries."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from .bounds import TRUSTED, limits_of, truncate


class EventType(StrEnum):
    """The kinds of event a client reports."""

    CELL_EXECUTED = "cell_executed"
    CELL_STARTED = "cell_started"
    NOTEBOOK_OPENED = "notebook_opened"
    NOTEBOOK_SAVED = "notebook_saved"
    NOTEBOOK_CLOSED = "notebook_closed"


CELL_EVENTS = frozenset({EventType.CELL_EXECUTED, EventType.CELL_STARTED})


class ClientEvent(BaseModel):
    """One event as a client sends it (camelCase JSON, the seed schema).

    Unknown fields (e.g. cell-monitor's emailAddress, teamName) are ignored, and so is
    any userId: the server stamps the authenticated user instead.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        str_strip_whitespace=False,
    )

    event_id: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:\-]+$")
    event_type: EventType
    event_time: datetime
    notebook_path: str = Field(min_length=1, max_length=1024)
    cell_id: str | None = Field(default=None, min_length=1, max_length=128)
    cell_index: int | None = Field(default=None, ge=0, le=100_000)
    cell_type: str | None = Field(default=None, max_length=32)
    code: str | None = None
    execution_count: int | None = Field(default=None, ge=0, le=2**31 - 1)
    has_error: bool = False
    error_message: str | None = None
    result: str | None = None
    execution_duration_ms: float | None = Field(default=None, ge=0, le=7 * 24 * 3600 * 1000)
    metadata: dict[str, Any] | None = None

    @field_validator("event_time")
    @classmethod
    def _as_utc(cls, value: datetime) -> datetime:
        """A naive eventTime (older clients) is read as UTC."""
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    @field_validator("code")
    @classmethod
    def _bound_code(cls, value: str | None, info: ValidationInfo) -> str | None:
        return truncate(value, limits_of(info).code_chars)

    @field_validator("result")
    @classmethod
    def _bound_result(cls, value: str | None, info: ValidationInfo) -> str | None:
        return truncate(value, limits_of(info).result_chars)

    @field_validator("error_message")
    @classmethod
    def _bound_error(cls, value: str | None, info: ValidationInfo) -> str | None:
        return truncate(value, limits_of(info).error_chars)

    @field_validator("metadata")
    @classmethod
    def _bound_metadata(
        cls, value: dict[str, Any] | None, info: ValidationInfo
    ) -> dict[str, Any] | None:
        if value is None or (info.context or {}).get("trusted"):
            return value
        size = len(json.dumps(value, separators=(",", ":"), default=str).encode())
        limit = limits_of(info).metadata_bytes
        if size > limit:
            raise ValueError(f"metadata is {size} bytes, at most {limit} are accepted")
        return value

    @model_validator(mode="after")
    def _cell_events_name_their_cell(self) -> ClientEvent:
        if self.event_type in CELL_EVENTS and self.cell_id is None:
            raise ValueError(f"a {self.event_type.value} event needs a cellId")
        return self


class Event(ClientEvent):
    """An accepted event: the client's fields plus the authenticated user and arrival time."""

    user_id: str = Field(min_length=1, max_length=256)
    received_at: datetime

    def to_json(self) -> str:
        """Serialise in the camelCase wire form (used by queues and the live feed)."""
        return self.model_dump_json(by_alias=True)

    def to_wire(self) -> dict[str, Any]:
        """The camelCase dict sent to dashboards."""
        return self.model_dump(mode="json", by_alias=True)

    @classmethod
    def from_json(cls, raw: str | bytes) -> Event:
        """Read an event back from its wire form (trusted: written by this server)."""
        return cls.model_validate_json(raw, context=TRUSTED)

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> Event:
        """Read an event back from its camelCase dict (trusted: written by this server)."""
        return cls.model_validate(data, context=TRUSTED)

    @classmethod
    def many_from_json(cls, raw: str | bytes) -> list[Event]:
        """Read a JSON array of events in wire form (trusted: written by this server)."""
        return _STORED_BATCH.validate_json(raw, context=TRUSTED)


_STORED_BATCH = TypeAdapter(list[Event])
