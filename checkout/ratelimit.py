"""A token bucket per client address: ``rate`` requests a minute on average, bursts of ``burst``.

It lives in the worker's memory, so with N workers a client gets up to N times the rate; that is
enough to stop a script from filling the order table. Buckets idle for an hour are forgotten.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # client → (tokens, last seen)
        self._lock = threading.Lock()
        self._last_prune = clock()

    def allow(self, client: str) -> float:
        """0 if ``client`` may go on, else the seconds to wait."""
        now = self._clock()
        with self._lock:
            tokens, seen = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - seen) * self.rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                wait = 0.0
            else:
                self._buckets[client] = (tokens, now)
                wait = (1 - tokens) / self.rate if self.rate > 0 else 3600.0
            if now - self._last_prune > 600:
                self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 3600}
                self._last_prune = now
        return wait

    def refund(self, client: str) -> None:
        """Give back the request ``allow`` just counted: it was refused for a reason the
        sender can correct (a person fixing a form is not a flood)."""
        with self._lock:
            if client in self._buckets:
                tokens, seen = self._buckets[client]
                self._buckets[client] = (min(self.burst, tokens + 1), seen)
