"""What every use case shares: the actor, the stores, the errors, one guarded change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from plut_shared.contracts import Envelope
from plut_shared.messaging import Cause, ConcurrentUpdate

from training.domain.appointment import Appointment
from training.domain.certificate import CertificateCounter
from training.domain.consultant import Consultant
from training.domain.course import Course
from training.domain.enterprise import ServedEnterprise
from training.domain.roster import UnknownEnrollment
from training.domain.session import TrainingSession

SERVICE = "training"
A = TypeVar("A")
R = TypeVar("R")
Clock = Callable[[], datetime]


class NotFound(Exception):
    """Unknown id, or one of a centre the caller may not see (the same answer)."""


class CentreNotAllowed(Exception):
    """The caller tried to create something for a centre it does not serve."""


class ChangeConflict(Exception):
    """The aggregate kept changing under us; the caller may retry."""


@dataclass(frozen=True)
class Actor:
    subject: str
    role: str
    centres: frozenset[str] | None  # None: every centre
    correlation_id: str

    def can_access(self, centre_id: str) -> bool:
        return self.centres is None or centre_id in self.centres

    def ensure_may_act_for(self, centre_id: str) -> None:
        if not self.can_access(centre_id):
            raise CentreNotAllowed(centre_id)

    @property
    def cause(self) -> Cause:
        return Cause(self.correlation_id)


class Aggregates(Protocol[A]):
    """An aggregate store (`plut_shared.messaging`), real or in memory."""

    async def get(self, aggregate_id: str) -> A | None: ...
    async def add(self, aggregate: A, cause: Cause) -> Any: ...
    async def change(
        self, aggregate_id: str, change: Callable[[A], R], cause: Cause
    ) -> R | None: ...
    async def apply_event(
        self,
        aggregate_id: str,
        envelope: Envelope,
        change: Callable[[A], object],
        *,
        create: Callable[[], A] | None = None,
    ) -> bool: ...


@dataclass(frozen=True)
class Stores:
    enterprises: Aggregates[ServedEnterprise]
    courses: Aggregates[Course]
    sessions: Aggregates[TrainingSession]
    counters: Aggregates[CertificateCounter]
    consultants: Aggregates[Consultant]
    appointments: Aggregates[Appointment]


async def visible(store: Aggregates[A], aggregate_id: str, actor: Actor) -> A:
    """The aggregate, or NotFound when it is unknown or of another centre."""
    found = await store.get(aggregate_id)
    if found is None or not actor.can_access(getattr(found, "centre_id")):  # noqa: B009
        raise NotFound(aggregate_id)
    return found


async def change_visible(
    store: Aggregates[A], aggregate_id: str, actor: Actor, change: Callable[[A], R]
) -> R:
    """Change an aggregate the actor may see, in one compare-and-swap; returns `change`'s result."""

    def guarded(aggregate: A) -> tuple[R]:
        if not actor.can_access(getattr(aggregate, "centre_id")):  # noqa: B009
            raise NotFound(aggregate_id)
        return (change(aggregate),)

    try:
        boxed = await store.change(aggregate_id, guarded, actor.cause)
    except ConcurrentUpdate:
        raise ChangeConflict(aggregate_id) from None
    except UnknownEnrollment as unknown:
        raise NotFound(str(unknown)) from None
    if boxed is None:
        raise NotFound(aggregate_id)
    return boxed[0]
