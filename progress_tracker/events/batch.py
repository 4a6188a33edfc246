"""Reading a POSTed body into validated events stamped with the authenticated user."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..errors import BadRequest, InvalidEvents, PayloadTooLarge
from .bounds import EventLimits, clean_json, clean_strings
from .model import Event, stamped_by


def parse_batch(
    raw: bytes,
    *,
    user_id: str,
    max_events: int,
    limits: EventLimits,
    now: datetime | None = None,
) -> list[Event]:
    """Validate a raw request body into events stamped with `user_id`.

    Raises BadRequest (not JSON, not an array, empty), PayloadTooLarge (too many events) or
    InvalidEvents (each invalid event named by index and field; nothing is accepted).
    """
    context = {"limits": limits, **stamped_by(user_id, now or datetime.now(UTC))}
    try:
        # Fast path: parse and validate in one pass; any problem is explained by the slow path.
        parsed_batch = _BATCH.validate_json(raw, context=context, strict=True)
    except ValidationError:
        parsed_batch = None
    if parsed_batch and len(parsed_batch) <= max_events:
        return parsed_batch
    try:
        decoded = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise BadRequest(f"The body is not valid JSON: {err}") from None
    except RecursionError:
        raise BadRequest("The body is nested too deeply to be an array of events.") from None
    decoded = clean_strings(decoded)  # lone surrogates parse as JSON, but no store can hold them
    if isinstance(decoded, dict) and isinstance(decoded.get("events"), list):
        decoded = decoded["events"]
    if not isinstance(decoded, list):
        raise BadRequest("The body must be a JSON array of events.")
    if not decoded:
        raise BadRequest("The batch is empty: send at least one event.")
    if len(decoded) > max_events:
        raise PayloadTooLarge(
            f"The batch has {len(decoded)} events; at most {max_events} are accepted."
        )
    events: list[Event] = []
    errors: list[dict[str, Any]] = []
    for index, item in enumerate(decoded):
        if not isinstance(item, dict):
            errors.append({"index": index, "field": None, "error": "an event must be an object"})
            continue
        problem = _metadata_problem(item, limits)
        if problem:
            errors.append({"index": index, "field": "metadata", "error": problem})
            continue
        try:
            # JSON-mode strictness (the body's own types: no "1" for 1, no 0 for false)
            parsed = Event.model_validate_json(json.dumps(item), context=context, strict=True)
        except ValidationError as err:
            for detail in err.errors(include_url=False, include_input=False):
                field = ".".join(str(part) for part in detail["loc"]) or None
                errors.append({"index": index, "field": field, "error": detail["msg"]})
            continue
        events.append(parsed)
    if errors:
        bad = sorted({error["index"] for error in errors})
        raise InvalidEvents(
            f"{len(bad)} of {len(decoded)} events are invalid; nothing was accepted.",
            errors=errors,
        )
    return events


_BATCH = TypeAdapter(list[Event])


def _metadata_problem(item: dict[str, Any], limits: EventLimits) -> str | None:
    """Why an event's metadata is refused, checked without recursion (a parser's recursion
    limit would hide which field is too deep)."""
    metadata = item.get("metadata")
    if not isinstance(metadata, dict | list):
        return None
    try:
        clean_json(metadata, limits.metadata_depth)
    except ValueError as err:
        return str(err)
    return None
