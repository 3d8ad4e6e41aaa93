"""A PLUT consultant: the areas they advise on and the slots they offer for mentoring.

Slots are offered here; which slot is booked is decided by the appointments'
unique slot key (see `appointment`), so a slot is never booked twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from plut_shared.contracts import Payload

from training.domain.errors import DomainValidationError
from training.domain.text import clean_text
from training.domain.times import utc

MAX_SLOTS = 300
MAX_SLOT_LENGTH = timedelta(hours=8)


class Area(StrEnum):
    """The seven areas PLUT consultants cover."""

    INSTITUTIONS = "institutions"
    HUMAN_RESOURCES = "human_resources"
    PRODUCTION = "production"
    FINANCING = "financing"
    MARKETING = "marketing"
    IT = "it"
    PARTNERSHIP_NETWORKS = "partnership_networks"


@dataclass(frozen=True)
class Slot:
    slot_id: str
    starts_at: datetime
    ends_at: datetime

    def overlaps(self, other: Slot) -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


@dataclass(eq=False)
class Consultant:
    consultant_id: str
    centre_id: str
    name: str
    areas: list[Area]
    slots: list[Slot] = field(default_factory=list)
    pending_events: list[Payload] = field(default_factory=list)

    @classmethod
    def create(cls, consultant_id: str, centre_id: str, name: str, areas: list[Area]) -> Consultant:
        if not areas:
            raise DomainValidationError("areas", "at least one area")
        name = clean_text("name", name, max_length=120)
        return cls(consultant_id, centre_id, name, sorted({Area(a) for a in areas}))

    def offer(self, new: list[tuple[str, datetime, datetime]], at: datetime) -> list[Slot]:
        """Add slots (id, start, end); past slots are dropped to keep the document small."""
        slots = [_slot(slot_id, starts, ends, at) for slot_id, starts, ends in new]
        kept = [s for s in self.slots if s.ends_at > at]
        for index, slot in enumerate(slots):
            if any(slot.overlaps(other) for other in kept + slots[:index]):
                raise DomainValidationError("slots", f"slot {index + 1} overlaps another slot")
        if len(kept) + len(slots) > MAX_SLOTS:
            raise DomainValidationError("slots", f"at most {MAX_SLOTS} open slots")
        self.slots = sorted(kept + slots, key=lambda s: s.starts_at)
        return slots

    def slot(self, slot_id: str) -> Slot:
        for slot in self.slots:
            if slot.slot_id == slot_id:
                return slot
        raise DomainValidationError("slot_id", "no slot of this consultant has this id")

    def ensure_area(self, area: Area) -> None:
        if area not in self.areas:
            offered = ", ".join(self.areas)
            raise DomainValidationError("area", f"the consultant advises on: {offered}")

    def pull_events(self) -> list[Payload]:
        return []


def _slot(slot_id: str, starts_at: datetime, ends_at: datetime, at: datetime) -> Slot:
    starts, ends = utc("starts_at", starts_at), utc("ends_at", ends_at)
    if ends <= starts or ends - starts > MAX_SLOT_LENGTH:
        raise DomainValidationError("ends_at", "a slot ends after it starts, within 8 hours")
    if starts <= at:
        raise DomainValidationError("starts_at", "slots are offered for the future only")
    return Slot(slot_id, starts, ends)
