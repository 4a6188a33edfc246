"""Hypothesis strategies for what a hostile client may POST: valid, nearly valid and poisonous."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

# Characters that broke a store or a reader once: NUL, lone surrogates, separators, quotes.
POISON = ["\x00", "\ud800", "\udfff", "\n", "\r", "\t", "\\", '"', "'", ",", ";", "=", "+", "@"]
EVENT_TYPES = [
    "cell_executed",
    "cell_started",
    "notebook_opened",
    "notebook_saved",
    "notebook_closed",
]

hostile_text = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(POISON)), max_size=40
)
long_text = st.builds(lambda piece, times: piece * times, hostile_text, st.integers(1, 60))
some_text = st.one_of(hostile_text, long_text)
event_ids = st.one_of(
    st.from_regex(r"\A[A-Za-z0-9_.:\-]{1,24}\Z"), hostile_text, st.just("e" * 129)
)
offsets = st.integers(-23 * 60, 23 * 60).map(lambda m: timezone(timedelta(minutes=m)))
instants = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
)


def _iso(moment: datetime, offset: timezone) -> str:
    return moment.replace(tzinfo=offset).isoformat()


event_times = st.one_of(
    st.builds(_iso, instants, offsets),
    st.builds(lambda d: d.isoformat(), st.datetimes(min_value=datetime(2020, 1, 1))),
    st.sampled_from(["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "yesterday"]),
    st.integers(-(2**63), 2**63),
    hostile_text,
)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(hostile_text, inner, max_size=4)
    ),
    max_leaves=20,
)


def _nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


metadata = st.one_of(
    st.none(),
    st.dictionaries(hostile_text, json_values, max_size=5),
    st.integers(1, 400).map(_nested),
    json_values,
)
numbers = st.one_of(st.integers(-(2**40), 2**40), st.floats(), hostile_text, st.none())

event = st.fixed_dictionaries(
    {"eventId": event_ids, "eventType": st.one_of(st.sampled_from(EVENT_TYPES), hostile_text)},
    optional={
        "eventTime": event_times,
        "notebookPath": st.one_of(some_text, st.sampled_from(["lab1.ipynb", "a/b.ipynb"])),
        "cellId": st.one_of(hostile_text, st.sampled_from(["c1", "c2", "c3"])),
        "cellIndex": numbers,
        "cellType": st.one_of(st.sampled_from(["code", "markdown", "raw"]), hostile_text),
        "code": some_text,
        "executionCount": numbers,
        "hasError": st.one_of(st.booleans(), hostile_text, st.integers()),
        "errorMessage": some_text,
        "result": some_text,
        "executionDurationMs": numbers,
        "metadata": metadata,
        "userId": hostile_text,
        "emailAddress": hostile_text,
    },
)
# Most examples are close to valid, so that acceptance and storage are exercised, not only 422.
plausible_event = st.fixed_dictionaries(
    {
        "eventId": st.from_regex(r"\A[A-Za-z0-9_.:\-]{1,24}\Z"),
        "eventType": st.sampled_from(EVENT_TYPES),
        "eventTime": st.one_of(
            st.builds(
                _iso, st.datetimes(min_value=datetime(1971, 1, 1), timezones=st.just(UTC)), offsets
            ),
            st.sampled_from(["2024-01-01T00:00:00Z", "2040-01-01T00:00:00Z"]),
        ),
    },
    optional={
        "notebookPath": some_text,
        "cellId": hostile_text,
        "cellIndex": st.integers(0, 1000),
        "cellType": hostile_text,
        "code": some_text,
        "hasError": st.booleans(),
        "errorMessage": some_text,
        "result": some_text,
        "executionDurationMs": st.floats(0, 10_000),
        "metadata": metadata,
    },
)
batches = st.lists(st.one_of(plausible_event, plausible_event, event), min_size=1, max_size=4)


def body_of(batch: list[Any]) -> bytes:
    """The JSON body of a batch (lone surrogates written as \\u escapes, NaN as NaN)."""
    return json.dumps(batch).encode()


def _deep_body(depth: int, opener: str) -> bytes:
    """An event whose metadata nests `depth` arrays or objects."""
    if opener == "[":
        inner = "[" * depth + "]" * depth
    else:
        inner = '{"a":' * depth + "1" + "}" * depth
    return (
        '[{"eventId": "deep", "eventType": "cell_executed", "eventTime": "2026-01-01T00:00:00Z",'
        f' "metadata": {{"x": {inner}}}}}]'
    ).encode()


# Bodies nested far deeper than any parser's recursion limit.
nested_json_body = st.builds(
    _deep_body, st.sampled_from([50, 300, 5000, 100_000]), st.sampled_from(["[", "{"])
)
