"""Sinks: the stores that events are persisted to, one consumer each."""


class SinkError(Exception):
    """A batch a sink could not persist.

    `retryable` tells the caller whether the same batch may succeed later (server down,
    overloaded, timed out) or will fail again (rejected as bad data, wrong database or
    credentials) and belongs in the dead letter.
    """

    def __init__(self, message: str, *, retryable: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.status = status
