"""The event schema: what a client may send and what the pipeline carries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

TRUNCATION_MARK = "\u2026[truncated]"


class EventType(StrEnum):
    """The kinds of event a client reports."""

    CELL_EXECUTED = "cell_executed"
    CELL_STARTED = "cell_started"
    NOTEBOOK_OPENED = "notebook_opened"
    NOTEBOOK_SAVED = "notebook_saved"
    NOTEBOOK_CLOSED = "notebook_closed"


CELL_EVENTS = frozenset({EventType.CELL_EXECUTED, EventType.CELL_STARTED})


@dataclass(frozen=True)
class TextLimits:
    """Longest accepted texts; longer free texts are truncated, longer identifiers rejected."""

    code_chars: int = 20_000
    result_chars: int = 2_000
    error_chars: int = 2_000
    metadata_bytes: int = 4_096


# Events read back from the queue were bounded when accepted; never truncate them again.
STORED_LIMITS = TextLimits(
    code_chars=2**31, result_chars=2**31, error_chars=2**31, metadata_bytes=2**31
)


TRUSTED = {"limits": STORED_LIMITS, "trusted": True}


def _truncate(value: str | None, limit: int) -> str | None:
    if value is not None and "\x00" in value:
        value = value.replace("\x00", "\ufffd")  # PostgreSQL text cannot hold NUL
    if value is None or len(value) <= limit:
        return value
    return value[: max(0, limit - len(TRUNCATION_MARK))] + TRUNCATION_MARK


def _limits(info: ValidationInfo) -> TextLimits:
    context = info.context or {}
    return context.get("limits") or TextLimits()


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
        return _truncate(value, _limits(info).code_chars)

    @field_validator("result")
    @classmethod
    def _bound_result(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _truncate(value, _limits(info).result_chars)

    @field_validator("error_message")
    @classmethod
    def _bound_error(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _truncate(value, _limits(info).error_chars)

    @field_validator("metadata")
    @classmethod
    def _bound_metadata(
        cls, value: dict[str, Any] | None, info: ValidationInfo
    ) -> dict[str, Any] | None:
        if value is None or (info.context or {}).get("trusted"):
            return value
        size = len(json.dumps(value, separators=(",", ":"), default=str).encode())
        limit = _limits(info).metadata_bytes
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


class BatchError(Exception):
    """A batch that cannot be accepted; carries the HTTP status and a JSON-able body."""

    def __init__(self, status: int, message: str, errors: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or []

    def body(self) -> dict[str, Any]:
        """The JSON error body for the client."""
        body: dict[str, Any] = {"message": self.message}
        if self.errors:
            body["errors"] = self.errors
        return body


def parse_batch(
    raw: bytes,
    *,
    user_id: str,
    max_events: int,
    limits: TextLimits,
    now: datetime | None = None,
) -> list[Event]:
    """Validate a raw request body into events stamped with `user_id`.

    Raises BatchError with 400 (not JSON, not an array, empty), 413 (too many events) or
    422 (invalid events, each named by index and field).
    """
    received_at = now or datetime.now(UTC)
    try:
        # Fast path: parse and validate in one pass; any problem is explained by the slow path.
        parsed_batch = _BATCH.validate_json(raw, context={"limits": limits})
    except ValidationError:
        parsed_batch = None
    if parsed_batch and len(parsed_batch) <= max_events:
        return [_stamp(parsed, user_id, received_at) for parsed in parsed_batch]
    try:
        decoded = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise BatchError(400, f"The body is not valid JSON: {err}") from None
    if isinstance(decoded, dict) and isinstance(decoded.get("events"), list):
        decoded = decoded["events"]
    if not isinstance(decoded, list):
        raise BatchError(400, "The body must be a JSON array of events.")
    if not decoded:
        raise BatchError(400, "The batch is empty: send at least one event.")
    if len(decoded) > max_events:
        raise BatchError(
            413, f"The batch has {len(decoded)} events; at most {max_events} are accepted."
        )
    events: list[Event] = []
    errors: list[dict[str, Any]] = []
    for index, item in enumerate(decoded):
        if not isinstance(item, dict):
            errors.append({"index": index, "field": None, "error": "an event must be an object"})
            continue
        try:
            parsed = ClientEvent.model_validate(item, context={"limits": limits})
        except ValidationError as err:
            for detail in err.errors(include_url=False, include_input=False):
                field = ".".join(str(part) for part in detail["loc"]) or None
                errors.append({"index": index, "field": field, "error": detail["msg"]})
            continue
        events.append(_stamp(parsed, user_id, received_at))
    if errors:
        bad = sorted({error["index"] for error in errors})
        raise BatchError(
            422,
            f"{len(bad)} of {len(decoded)} events are invalid; nothing was accepted.",
            errors,
        )
    return events


_BATCH = TypeAdapter(list[ClientEvent])


def _stamp(parsed: ClientEvent, user_id: str, received_at: datetime) -> Event:
    """The validated event with the server's fields (never the client's) added."""
    return Event.model_construct(
        _fields_set=parsed.model_fields_set | {"user_id", "received_at"},
        **parsed.__dict__,
        user_id=user_id,
        received_at=received_at,
    )


_STORED_BATCH = TypeAdapter(list[Event])
