"""The training use cases wired to in-memory parts: no broker, no store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from plut_shared.auth import Role
from plut_shared.contracts import Envelope, make_envelope, parse_payload
from plut_shared.contracts.registration import (
    Channel,
    Consents,
    ScaleClass,
    UmkmErased,
    UmkmRegistered,
)
from plut_shared.messaging import InMemoryAggregateStore
from training.adapters.catalogue import CounterMapper, CourseMapper, SessionMapper
from training.adapters.enterprises import EnterpriseMapper
from training.adapters.mentoring import SLOT_KEY, AppointmentMapper, ConsultantMapper
from training.domain.appointment import Appointment
from training.domain.commands import CreateCourse, ScheduleSession
from training.domain.consultant import Area, Consultant
from training.domain.course import Course
from training.domain.session import TrainingSession
from training.handlers.catalogue import CatalogueHandlers
from training.handlers.common import Actor, Stores
from training.handlers.enrolment import EnrolmentHandlers
from training.handlers.erasure import ErasureWithdrawals
from training.handlers.mentoring import MentoringHandlers
from training.handlers.served import ServedEnterprises

CENTRE = "kota-mojokerto"
NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # 09:00 WIB


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class MemoryQueries:
    """The read-side questions answered from the in-memory stores' documents."""

    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    @staticmethod
    def _all(store: Any, centres: frozenset[str] | None) -> list[Any]:
        return [
            store.mapper.from_document({**doc, "_id": key})
            for key, doc in sorted(store.documents.items())
            if centres is None or doc["centre_id"] in centres
        ]

    async def courses(self, centres, *, limit, offset) -> list[Course]:
        return self._all(self.stores.courses, centres)[offset : offset + limit]

    async def sessions(self, centres, course_id, *, limit, offset) -> list[TrainingSession]:
        found = self._all(self.stores.sessions, centres)
        found = [s for s in found if course_id is None or s.course_id == course_id]
        return found[offset : offset + limit]

    async def consultants(self, centres, area) -> list[Consultant]:
        found = self._all(self.stores.consultants, centres)
        return [c for c in found if area is None or area in c.areas]

    async def booked_slots(self, consultant_id: str) -> set[str]:
        documents = self.stores.appointments.documents.values()  # type: ignore[attr-defined]
        return {
            d["slot"]["slot_id"]
            for d in documents
            if d["consultant_id"] == consultant_id and d["status"] != "cancelled"
        }

    async def appointments(self, centres, *, consultant_id, umkm_id) -> list[Appointment]:
        found = self._all(self.stores.appointments, centres)
        return [
            a
            for a in found
            if consultant_id in (None, a.consultant_id) and umkm_id in (None, a.umkm_id)
        ]


@dataclass
class Wired:
    stores: Stores
    clock: Clock
    catalogue: CatalogueHandlers
    enrolment: EnrolmentHandlers
    mentoring: MentoringHandlers
    served: ServedEnterprises

    def events(self, event_type: str) -> list[Envelope]:
        found: list[Envelope] = []
        for store in (self.stores.sessions, self.stores.appointments):
            found += store.events_of(event_type)  # type: ignore[attr-defined]
        return found


def wired(*, waitlist_max: int = 200) -> Wired:
    def store(mapper: Any, **options: Any) -> Any:
        return InMemoryAggregateStore(mapper, producer="training", **options)

    stores = Stores(
        enterprises=store(EnterpriseMapper()),
        courses=store(CourseMapper()),
        sessions=store(SessionMapper()),
        counters=store(CounterMapper()),
        consultants=store(ConsultantMapper()),
        appointments=store(AppointmentMapper(), unique=(SLOT_KEY,)),
    )
    clock, queries = Clock(), MemoryQueries(stores)
    return Wired(
        stores,
        clock,
        CatalogueHandlers(stores, queries, clock, waitlist_max=waitlist_max),
        EnrolmentHandlers(stores, clock),
        MentoringHandlers(stores, queries, clock),
        ServedEnterprises(stores.enterprises, ErasureWithdrawals(stores, clock)),
    )


def officer(*centres: str, **changes: Any) -> Actor:
    fields: dict[str, Any] = {
        "subject": "officer-1",
        "role": Role.OFFICER,
        "centres": frozenset(centres or (CENTRE,)),
        "correlation_id": "corr-1",
    }
    return Actor(**(fields | changes))


def registered(umkm_id: str, centre_id: str = CENTRE, **changes: Any) -> Envelope:
    fields: dict[str, Any] = {
        "umkm_id": umkm_id,
        "business_name": "UD Sepatu Maja Citra",
        "sector": "alas kaki",
        "scale_class": ScaleClass.MICRO,
        "owner_name": "Siti Rahayu",
        "phone": "+6281234567890",
        "preferred_channel": Channel.WHATSAPP,
        "consents": Consents(),
        "nik": "3576014101900001",
        **changes,
    }
    return _envelope(UmkmRegistered(**fields), umkm_id, centre_id)


def erased(umkm_id: str, centre_id: str = CENTRE) -> Envelope:
    return _envelope(UmkmErased(umkm_id=umkm_id), umkm_id, centre_id)


def _envelope(payload: Any, umkm_id: str, centre_id: str) -> Envelope:
    return make_envelope(
        payload,
        producer="registration",
        centre_id=centre_id,
        subject_id=umkm_id,
        correlation_id=f"corr-{umkm_id}",
    )


async def deliver(w: Wired, envelope: Envelope) -> None:
    """An event as the consumer hands it over: parsed, to the handler of its type."""
    await w.served.routes()[envelope.event_type](envelope, parse_payload(envelope))


async def consume_own_events(w: Wired) -> None:
    """Training's events that training consumes itself, delivered (again: each applies once)."""
    own = [event for event in w.served.routes() if event.startswith("training.")]
    for event_type in own:
        for envelope in w.events(event_type):
            await deliver(w, envelope)


async def register(w: Wired, *umkm_ids: str, centre_id: str = CENTRE, **changes: Any) -> None:
    for umkm_id in umkm_ids:
        await deliver(w, registered(umkm_id, centre_id, **changes))


AREAS = [Area.MARKETING, Area.FINANCING]


async def planned_session(
    w: Wired, *, capacity: int = 2, days: int = 1, actor: Actor | None = None, **course: Any
) -> TrainingSession:
    """A course of the officer's centre and one session of it, three days ahead, 09:00 WIB."""
    actor = actor or officer()
    created = await w.catalogue.create_course(
        CreateCourse(centre_id=CENTRE, topic="digital_marketing", **course), actor
    )
    starts = NOW + timedelta(days=3)
    command = ScheduleSession(
        starts_at=starts,
        ends_at=starts + timedelta(days=days - 1, hours=7),
        venue="Aula PLUT Maja Citra Kinarya",
        trainer="Budi Santoso",
        capacity=capacity,
    )
    return await w.catalogue.schedule_session(created.course_id, command, actor)
