"""The tracker's errors, each carrying the HTTP status it means; `handlers/base.py` renders them.

They subclass tornado's `HTTPError` so that a handler needs no try/except to answer them: tornado
routes any HTTPError to `write_error`, where the tracker's JSON body is written in one place.
"""

from __future__ import annotations

from typing import Any

from tornado.web import HTTPError


class TrackerError(HTTPError):
    """An error with a status, a message for the client, and optional details."""

    status = 500

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        errors: list[dict[str, Any]] | None = None,
        retry_after_s: int | None = None,
    ):
        super().__init__(status or self.status, "%s", message)
        self.message = message
        self.errors = errors or []
        self.retry_after_s = retry_after_s

    def __str__(self) -> str:
        return self.message

    def body(self) -> dict[str, Any]:
        """The JSON body the client receives."""
        body: dict[str, Any] = {"message": self.message}
        if self.errors:
            body["errors"] = self.errors
        return body


class BadRequest(TrackerError):
    """The request cannot be read (not JSON, wrong shape, bad query argument)."""

    status = 400


class Forbidden(TrackerError):
    """The caller may not do this."""

    status = 403


class NotFound(TrackerError):
    """The thing asked for does not exist here."""

    status = 404


class PayloadTooLarge(TrackerError):
    """The body or the batch is over a configured bound."""

    status = 413


class InvalidEvents(TrackerError):
    """Some events of a batch are invalid (each named by index and field); none was accepted."""

    status = 422


class TooManyRequests(TrackerError):
    """The caller is over their budget; retry after `retry_after_s`."""

    status = 429


class Unavailable(TrackerError):
    """A store or the queue cannot take events now; nothing was accepted, retry later."""

    status = 503

    def __init__(self, message: str, retry_after_s: int = 5, **kwargs: Any):
        super().__init__(
            f"{message} Nothing was accepted; retry later.", retry_after_s=retry_after_s, **kwargs
        )


class UpstreamRefused(TrackerError):
    """The collector refused a forwarded request; its status and body are passed on as they are."""

    def __init__(self, status: int, body: dict[str, Any], retry_after_s: int | None = None):
        super().__init__(
            str(body.get("message", f"HTTP {status}")), status=status, retry_after_s=retry_after_s
        )
        self._body = body

    def body(self) -> dict[str, Any]:
        """The collector's own body."""
        return self._body
