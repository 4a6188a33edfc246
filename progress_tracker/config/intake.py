"""`c.EventIntake`: the bounds of what one POST may carry."""

from __future__ import annotations

from dataclasses import dataclass, field

from traitlets import Int
from traitlets.config import Configurable

from ..events.bounds import TextLimits


@dataclass(frozen=True)
class IntakeSettings:
    """Request and text bounds applied to incoming events."""

    max_batch_events: int = 100
    max_body_bytes: int = 2 * 1024 * 1024
    text: TextLimits = field(default_factory=TextLimits)


class EventIntake(Configurable):
    """Bounds of what the events endpoint accepts."""

    max_batch_events = Int(100, config=True, help="Most events accepted in one POST (else 413).")
    max_body_bytes = Int(
        2 * 1024 * 1024, config=True, help="Largest POST body accepted, in bytes (else 413)."
    )
    max_code_chars = Int(20_000, config=True, help="Code longer than this is stored truncated.")
    max_result_chars = Int(2_000, config=True, help="Results longer than this are truncated.")
    max_error_chars = Int(2_000, config=True, help="Error messages longer than this are truncated.")
    max_metadata_bytes = Int(4_096, config=True, help="Largest metadata object accepted (JSON).")

    def settings(self) -> IntakeSettings:
        """The frozen settings."""
        return IntakeSettings(
            max_batch_events=self.max_batch_events,
            max_body_bytes=self.max_body_bytes,
            text=TextLimits(
                code_chars=self.max_code_chars,
                result_chars=self.max_result_chars,
                error_chars=self.max_error_chars,
                metadata_bytes=self.max_metadata_bytes,
            ),
        )
