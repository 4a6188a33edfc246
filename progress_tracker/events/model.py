"""The event schema: what a client may send and what the pipeline carries."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from .bounds import (
    EARLIEST_EVENT_TIME,
    TRUSTED,
    clean,
    clean_json,
    has_unstorable,
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

    @field_validator("metadata")
    @classmethod
    def _bound_metadata(
        cls, value: dict[str, Any] | None, info: ValidationInfo
    ) -> dict[str, Any] | None:
        if not value or is_trusted(info):
            return value
        limits = limits_of(info)
        value = clean_json(value, limits.metadata_depth)
        size = len(json.dumps(value, separators=(",", ":")).encode())
        if size > limits.metadata_bytes:
            raise ValueError(
                f"metadata is {size} bytes, at most {limits.metadata_bytes} are accepted"
            )
        return value

    # Why one validator for the rules below: each Python validator is a call out of pydantic's
    # core per event, and at ten thousand events a second those calls were most of the intake.
    @model_validator(mode="after")
    def _server_rules(self, info: ValidationInfo) -> ClientEvent:
        """Texts made storable and bounded, interruptions and kernel states named, and a time
        from the future replaced by the receive time (events read back are trusted as stored)."""
        if is_trusted(info):
            return self
        fields = self.__dict__
        for name in _STORABLE_TEXTS:
            value = fields[name]
            if value is not None and has_unstorable(value):
                fields[name] = clean(value)
        limits = limits_of(info)
        fields["code"] = truncate(self.code, limits.code_chars)
        fields["result"] = truncate(self.result, limits.result_chars)
        fields["error_message"] = truncate(self.error_message, limits.error_chars)
        _name_interruption(fields)
        _name_kernel_status(fields)
        now = (info.context or {}).get("now") or datetime.now(UTC)
        if (self.event_time - now).total_seconds() > limits.future_skew_s:
            # A client clock far ahead must not make its events the newest of the class for ever.
            fields["metadata"] = {
                **(self.metadata or {}),
                CLIENT_EVENT_TIME: self.event_time.isoformat(),
            }
            fields["event_time"] = now
        return self


# Short texts cleaned of what no store can hold (the long free texts are truncated as well).
_STORABLE_TEXTS = ("notebook_path", "cell_id", "cell_type", "assignment_id", "grade_id", "message")


def _name_interruption(fields: dict[str, Any]) -> None:
    """An interrupted run is neither a success nor a failure: it never counts as an error.

    Older clients only report the KeyboardInterrupt error; it is read as an interruption.
    """
    if fields["has_error"] and (fields["error_message"] or "").startswith(INTERRUPT_ERROR):
        fields["interrupted"] = True
    if fields["interrupted"]:
        fields["has_error"] = False


def _name_kernel_status(fields: dict[str, Any]) -> None:
    """Only a kernel_status event carries a status ("unknown" when its client names none: the
    change still ends the running cells)."""
    if fields["event_type"] is not EventType.KERNEL_STATUS:
        fields["kernel_status"] = None
    elif fields["kernel_status"] is None:
        fields["kernel_status"] = UNKNOWN_KERNEL_STATUS


# The fields of an accepted event that only the server sets.
_STAMPED_BY_SERVER = ("user_id", "received_at", "course", "section", "role")
_STAMP = "stamp"


class Event(ClientEvent):
    """An accepted event: the client's fields plus the authenticated user and arrival time."""

    # Stamped at intake from the authenticated request (`stamped_by`), whatever the body says;
    # required of an event read back. The defaults are never seen: see `_stamped`.
    user_id: str = Field(default="", min_length=1, max_length=256)
    received_at: datetime = EARLIEST_EVENT_TIME
    # Stamped by the collector from the user's groups and the assignment (courses/attribution.py).
    course: str | None = None
    section: str | None = None
    role: str | None = None

    @field_validator(*_STAMPED_BY_SERVER, mode="wrap")
    @classmethod
    def _never_from_the_body(
        cls, value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> Any:
        """At intake whatever a body says of the server's fields is ignored, valid or not."""
        if _STAMP in (info.context or {}):
            return None
        return handler(value)

    @model_validator(mode="after")
    def _stamped(self, info: ValidationInfo) -> Event:
        """At intake, who sent the event and when it arrived are the server's (and its course is
        attributed later); any other event must carry both."""
        stamp = (info.context or {}).get(_STAMP)
        fields = self.__dict__
        if stamp is not None:
            fields["user_id"], fields["received_at"] = stamp
            fields["course"] = fields["section"] = fields["role"] = None
            self.__pydantic_fields_set__.update(_STAMPED_FIELDS)
        elif not _STAMPED_FIELDS <= self.__pydantic_fields_set__:
            raise ValueError("an accepted event needs userId and receivedAt")
        return self

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

    @staticmethod
    def many_to_json(events: Sequence[Event]) -> bytes:
        """A JSON array of events in wire form without their empty fields, as queued: read
        back by `many_from_json` (every field left out is None by default)."""
        return _STORED_BATCH.dump_json(list(events), by_alias=True, exclude_none=True)

    @classmethod
    def many_from_json(cls, raw: str | bytes) -> list[Event]:
        """Read a JSON array of events in wire form (trusted: written by this server)."""
        return _STORED_BATCH.validate_json(raw, context=TRUSTED)


_STORED_BATCH = TypeAdapter(list[Event])
_STAMPED_FIELDS = frozenset({"user_id", "received_at"})


def stamped_by(user_id: str, received_at: datetime) -> dict[str, Any]:
    """The validation context of intake: events validated under it are stamped with the
    authenticated user and the receive time, never with what the body says."""
    return {_STAMP: (user_id, received_at), "now": received_at}


def notebook_of(event: ClientEvent) -> str:
    """The notebook an event is stored under (events naming none share one)."""
    return NO_NOTEBOOK if event.notebook_path is None else event.notebook_path


def cell_of(event: ClientEvent) -> str | None:
    """The cell an event is stored under: its own, or the shared one of executions naming none."""
    if event.cell_id is not None:
        return event.cell_id
    return NO_CELL if event.event_type is EventType.CELL_EXECUTED else None
