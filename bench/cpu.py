"""CPU time spent during one phase by the benchmark's process, the broker and the store.

The kernel path is bound by CPU on a small machine (the service, the broker and
the store share its cores), so the benchmark prints what each spends per event:
their sum against the core count is the ceiling no tuning of concurrency passes.
The broker's and the store's figures include whatever else uses them at the
time, so they mean something only on an otherwise quiet machine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bench.memory import pids_of

TICKS = os.sysconf("SC_CLK_TCK")


def _process_seconds(pattern: str) -> float:
    """User + system CPU seconds of the processes whose command line matches."""
    total = 0.0
    for pid in pids_of(pattern):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


@dataclass(frozen=True)
class CpuSeconds:
    own: float
    broker: float
    store: float

    @classmethod
    def now(cls) -> CpuSeconds:
        own = os.times()
        return cls(
            own.user + own.system, _process_seconds("beam.smp"), _process_seconds("StoreServer")
        )

    def __sub__(self, earlier: CpuSeconds) -> CpuSeconds:
        return CpuSeconds(
            self.own - earlier.own, self.broker - earlier.broker, self.store - earlier.store
        )

    def per_event(self, events: int) -> str:
        """Milliseconds per event for each, their sum, and the rate that sum allows."""
        total = self.own + self.broker + self.store
        ceiling = (os.cpu_count() or 1) * events / total if total else float("inf")
        return (
            f"python {self.own / events * 1000:.2f} + broker {self.broker / events * 1000:.2f}"
            f" + store {self.store / events * 1000:.2f} = {total / events * 1000:.2f} ms"
            f" (ceiling on {os.cpu_count()} cores: {ceiling:,.0f}/s)"
        )
