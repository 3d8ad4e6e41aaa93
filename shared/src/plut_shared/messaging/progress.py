"""Whether a consumer is making progress, for /health.

A delivery counts as started when the kernel's intake hands it over, before
anything could fail to decode it, and as finished once the kernel acked,
retried, parked or returned it. A consumer holding deliveries that has
finished none for longer than a threshold is stalled: its prefetch is full of
messages it does not get rid of, and the rest of its queue waits.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class ConsumerProgress:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.in_flight = 0
        self._progress_at = clock()

    def started(self) -> None:
        if self.in_flight == 0:
            self._progress_at = self._clock()  # idle time is not a stall
        self.in_flight += 1

    def finished(self) -> None:
        self.in_flight = max(0, self.in_flight - 1)
        self._progress_at = self._clock()

    def stalled(self, after_s: float) -> bool:
        return self.in_flight > 0 and self._clock() - self._progress_at > after_s
