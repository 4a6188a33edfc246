"""`c.EventIntake`: the bounds of what one POST may carry, and of what one user may send."""

from __future__ import annotations

from dataclasses import dataclass, field

from traitlets import Float, Int
from traitlets.config import Configurable

from ..events.bounds import EventLimits


@dataclass(frozen=True)
class UserBudget:
    """What one user may send and create; 0 means unbounded.

    Rates are token buckets: a user may send a minute's worth at once, then at the rate.
    """

    events_per_minute: int = 1_200
    bytes_per_minute: int = 8 * 1024 * 1024
    notebooks: int = 100
    cells_per_notebook: int = 500


@dataclass(frozen=True)
class IntakeSettings:
    """Request, event and per-user bounds applied to incoming events."""

    max_batch_events: int = 100
    max_body_bytes: int = 2 * 1024 * 1024
    text: EventLimits = field(default_factory=EventLimits)
    per_user: UserBudget = field(default_factory=UserBudget)


class EventIntake(Configurable):
    """Bounds of what the events endpoint accepts, per request and per user."""

    max_batch_events = Int(100, config=True, help="Most events accepted in one POST (else 413).")
    max_body_bytes = Int(
        2 * 1024 * 1024,
        config=True,
        help="""Largest POST body accepted, in bytes (else 413). Checked from Content-Length before
        the body is read; a body sent without one is cut off at this size.""",
    )
    max_code_chars = Int(20_000, config=True, help="Code longer than this is stored truncated.")
    max_result_chars = Int(2_000, config=True, help="Results longer than this are truncated.")
    max_error_chars = Int(2_000, config=True, help="Error messages longer than this are truncated.")
    max_metadata_bytes = Int(4_096, config=True, help="Largest metadata object accepted (JSON).")
    max_metadata_depth = Int(
        10, config=True, help="Deepest nesting of objects and arrays accepted in metadata."
    )
    max_clock_skew_s = Float(
        300.0,
        config=True,
        help="""How far ahead of the server's clock an eventTime may be. Later times are replaced
        by the time the event was received (the client's time is kept in
        metadata.clientEventTime).""",
    )
    user_events_per_minute = Int(
        1_200,
        config=True,
        help="""Events one user may send per minute (a minute's worth may come at once); beyond,
        429 with Retry-After. Shared by every collector replica through Redis. 0: unbounded.""",
    )
    user_bytes_per_minute = Int(
        8 * 1024 * 1024,
        config=True,
        help="Bytes of request bodies one user may send per minute (as above). 0: unbounded.",
    )
    user_max_notebooks = Int(
        100,
        config=True,
        help="""Distinct notebooks one user may send events about (events naming more get 422).
        0: unbounded.""",
    )
    user_max_cells_per_notebook = Int(
        500,
        config=True,
        help="""Distinct cells of one notebook one user may send events about (events naming more
        get 422), so that nobody adds thousands of columns to a class's dashboard. 0: unbounded.""",
    )

    def settings(self) -> IntakeSettings:
        """The frozen settings."""
        return IntakeSettings(
            max_batch_events=self.max_batch_events,
            max_body_bytes=self.max_body_bytes,
            text=EventLimits(
                code_chars=self.max_code_chars,
                result_chars=self.max_result_chars,
                error_chars=self.max_error_chars,
                metadata_bytes=self.max_metadata_bytes,
                metadata_depth=self.max_metadata_depth,
                future_skew_s=self.max_clock_skew_s,
            ),
            per_user=UserBudget(
                events_per_minute=self.user_events_per_minute,
                bytes_per_minute=self.user_bytes_per_minute,
                notebooks=self.user_max_notebooks,
                cells_per_notebook=self.user_max_cells_per_notebook,
            ),
        )
