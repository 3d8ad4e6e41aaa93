"""What every use case shares: the stores, the errors, one guarded change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from plut_shared.messaging import Aggregates, Cause, ConcurrentUpdate
from plut_shared.routes import Actor

from training.domain.appointment import Appointment
from training.domain.certificate import CertificateCounter
from training.domain.consultant import Consultant
from training.domain.course import Course
from training.domain.enterprise import ServedEnterprise, not_served
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


def ensure_may_act_for(actor: Actor, centre_id: str) -> None:
    if not actor.can_access(centre_id):
        raise CentreNotAllowed(centre_id)


def cause(actor: Actor) -> Cause:
    """The changes of one request carry its correlation id."""
    return Cause(actor.correlation_id)


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
        boxed = await store.change(aggregate_id, guarded, cause(actor))
    except ConcurrentUpdate:
        raise ChangeConflict(aggregate_id) from None
    except UnknownEnrollment as unknown:
        raise NotFound(str(unknown)) from None
    if boxed is None:
        raise NotFound(aggregate_id)
    return boxed[0]


async def update_visible(
    store: Aggregates[A], aggregate_id: str, actor: Actor, mutate: Callable[[A], object]
) -> A:
    """`change_visible` for a change whose answer is the changed aggregate itself."""

    def mutated(aggregate: A) -> A:
        mutate(aggregate)
        return aggregate

    return await change_visible(store, aggregate_id, actor, mutated)


async def served_enterprise(
    enterprises: Aggregates[ServedEnterprise], umkm_id: str, centre_id: str
) -> ServedEnterprise:
    """The enterprise when `centre_id` may serve it (registered there, not erased); else 422."""
    enterprise = await enterprises.get(umkm_id)
    if enterprise is None:
        raise not_served()
    enterprise.ensure_served_by(centre_id)
    return enterprise
