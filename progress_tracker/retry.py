"""The one retry policy of the server: exponential backoff with a cap and a little jitter."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """How long to wait after the n-th consecutive failure: initial * factor**n, capped."""

    initial_s: float = 0.2
    cap_s: float = 2.0
    factor: float = 2.0
    jitter: float = 0.1  # +-10 %: replicas that failed together do not retry in lockstep

    def delay(self, failures: int) -> float:
        """The wait after `failures` consecutive failures (1 for the first)."""
        base = min(self.cap_s, self.initial_s * self.factor ** max(0, failures - 1))
        return max(0.0, base * (1 + random.uniform(-self.jitter, self.jitter)))


class Retrying:
    """Counts consecutive failures of one loop and answers how long to wait before the next try."""

    def __init__(self, policy: Backoff):
        self.policy = policy
        self.failures = 0

    def failed(self) -> float:
        """Record a failure; the delay before the next attempt."""
        self.failures += 1
        return self.policy.delay(self.failures)

    def succeeded(self) -> None:
        """Record a success: the next failure starts from the initial delay again."""
        self.failures = 0
