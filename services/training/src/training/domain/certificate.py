"""Certificate numbers: `PLUT-<centre code>-<year>-<serial>`, unique per centre and year.

Serials come from one counter aggregate per centre and year, advanced by the
store's compare-and-swap, so two completions anywhere never share a number.
Numbers taken by a completion that then loses a race stay unused: a gap, never
a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from plut_shared.contracts import Payload

from training.domain.centres import centre_of

SERIAL_DIGITS = 6


def counter_id(centre_id: str, year: int) -> str:
    return f"{centre_id}:{year}"


def certificate_number(centre_id: str, year: int, serial: int) -> str:
    return f"PLUT-{centre_of(centre_id).code}-{year}-{serial:0{SERIAL_DIGITS}d}"


@dataclass(eq=False)
class CertificateCounter:
    centre_id: str
    year: int
    last: int = 0
    pending_events: list[Payload] = field(default_factory=list)

    @property
    def counter_id(self) -> str:
        return counter_id(self.centre_id, self.year)

    def take(self, count: int) -> list[str]:
        """The next `count` certificate numbers."""
        first, self.last = self.last + 1, self.last + count
        return [
            certificate_number(self.centre_id, self.year, n) for n in range(first, self.last + 1)
        ]

    def pull_events(self) -> list[Payload]:
        return []
