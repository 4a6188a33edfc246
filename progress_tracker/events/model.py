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

from .bounds import (
    EARLIEST_EVENT_TIME,
    TRUSTED,
    clean,
    clean_json,
    is_trusted,
    limits_of,
    truncate,
)


class EventType(StrEnum):
    """The kinds of event a client reports."""

    CELL_EXECUTED = "cell_executed"
    CELL_STARTED = "cell_started"
    NOTEBOOK_OPENED = "notebook_opened"
    NOTEBOOK_SAVED = "notebook_saved"
    NOTEBOOK_CLOSED = "notebook_closed"
    NOTEBOOK_HEARTBEAT = "notebook_heartbeat"
    HELP = "help"
    HELP_STOP = "help_stop"
    KERNEL_STATUS = "kernel_status"


CELL_EVENTS = frozenset({EventType.CELL_EXECUTED, EventType.CELL_STARTED})
# Where events that name no notebook (or no cell) are kept: no client can send an empty path or id.
NO_NOTEBOOK = ""
NO_CELL = ""
# An error of this name is the student interrupting the kernel: no failure (older clients send
# no `interrupted`, only the error).
INTERRUPT_ERROR = "KeyboardInterrupt"
UNKNOWN_KERNEL_STATUS = "unknown"
# Set in metadata when a far-future eventTime was replaced by the receive time.
CLIENT_EVENT_TIME = "clientEventTime"


class ClientEvent(BaseModel):
    """One event as a client sends it (camelCase JSON, the seed schema).

    Only eventId, eventType and eventTime are required. Unknown fields (e.g. cell-monitor's
    emailAddress, teamName) are ignored, and so is any userId: the server stamps the
    authenticated user instead. Whatever validates here can be stored by every sink.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        str_strip_whitespace=False,
        allow_inf_nan=False,
    )

    event_id: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:\-]+$")
    event_type: EventType
    event_time: datetime
    notebook_path: str | None = Field(default=None, min_length=1, max_length=1024)
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
    assignment_id: str | None = Field(default=None, min_length=1, max_length=128)
    grade_id: str | None = Field(default=None, min_length=1, max_length=128)
    message: str | None = Field(default=None, max_length=500)
    interrupted: bool = False
    kernel_status: str | None = Field(
        default=None, min_length=1, max_length=32, pattern=r"^[a-z][a-z_-]*$"
    )

    @field_validator(
        "notebook_path", "cell_id", "cell_type", "assignment_id", "grade_id", "message"
    )
    @classmethod
    def _storable(cls, value: str | None) -> str | None:
        return None if value is None else clean(value)

    @field_validator("event_time")
    @classmethod
    def _as_utc(cls, value: datetime) -> datetime:
        """A naive eventTime (older clients) is read as UTC; times before 1970 are refused."""
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        try:
            value = value.astimezone(UTC)
        except OverflowError:
            if value.year < 2000:
                raise ValueError("eventTime must be 1970-01-01T00:00:00Z or later") from None
            return datetime.max.replace(tzinfo=UTC)  # past year 9999 in UTC: clamped below
        if value < EARLIEST_EVENT_TIME:
            raise ValueError("eventTime must be 1970-01-01T00:00:00Z or later")
        return value

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
        if value is None or is_trusted(info):
            return value
        limits = limits_of(info)
        value = clean_json(value, limits.metadata_depth)
        size = len(json.dumps(value, separators=(",", ":")).encode())
        if size > limits.metadata_bytes:
            raise ValueError(
                f"metadata is {size} bytes, at most {limits.metadata_bytes} are accepted"
            )
        return value

    @model_validator(mode="after")
    def _interrupted_is_no_error(self) -> ClientEvent:
        """An interrupted run is neither a success nor a failure: it never counts as an error.

        Older clients only report the KeyboardInterrupt error; it is read as an interruption.
        """
        if self.has_error and (self.error_message or "").startswith(INTERRUPT_ERROR):
            self.interrupted = True
        if self.interrupted:
            self.has_error = False
        return self

    @model_validator(mode="after")
    def _kernel_status_is_named(self) -> ClientEvent:
        """Only a kernel_status event carries a status ("unknown" when its client names none:
        the change still ends the running cells)."""
        if self.event_type is not EventType.KERNEL_STATUS:
            self.kernel_status = None
        elif self.kernel_status is None:
            self.kernel_status = UNKNOWN_KERNEL_STATUS
        return self

    @model_validator(mode="after")
    def _no_time_from_the_future(self, info: ValidationInfo) -> ClientEvent:
        """A time later than now (plus the allowed skew) is the receive time, flagged in metadata.

        A client clock far ahead must not make its events the newest of the class for ever.
        """
        if is_trusted(info):
            return self
        now = (info.context or {}).get("now") or datetime.now(UTC)
        if (self.event_time - now).total_seconds() > limits_of(info).future_skew_s:
            client_time = self.event_time.isoformat()
            self.metadata = {**(self.metadata or {}), CLIENT_EVENT_TIME: client_time}
            self.event_time = now
        return self


class Event(ClientEvent):
    """An accepted event: the client's fields plus the authenticated user and arrival time."""

    user_id: str = Field(min_length=1, max_length=256)
    received_at: datetime
    # Stamped by the collector from the user's groups and the assignment (courses/attribution.py).
    course: str | None = None
    section: str | None = None
    role: str | None = None

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


def notebook_of(event: ClientEvent) -> str:
    """The notebook an event is stored under (events naming none share one)."""
    return NO_NOTEBOOK if event.notebook_path is None else event.notebook_path


def cell_of(event: ClientEvent) -> str | None:
    """The cell an event is stored under: its own, or the shared one of executions naming none."""
    if event.cell_id is not None:
        return event.cell_id
    return NO_CELL if event.event_type is EventType.CELL_EXECUTED else None
