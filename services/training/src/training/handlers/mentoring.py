"""Use cases of mentoring: consultants, their slots, appointments and their outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from plut_shared.contracts import new_event_id
from plut_shared.messaging import DuplicateKey

from training.domain.appointment import Appointment
from training.domain.centres import validate_centre_id
from training.domain.commands import AddConsultant, BookMentoring, CompleteMentoring, SlotTimes
from training.domain.consultant import Area, Consultant, Slot
from training.domain.errors import SlotTaken
from training.domain.outcome import Outcome
from training.handlers.common import (
    Actor,
    Clock,
    Stores,
    cause,
    change_visible,
    ensure_may_act_for,
    served_enterprise,
    update_visible,
    visible,
)


class MentoringQueries(Protocol):
    async def consultants(
        self, centres: frozenset[str] | None, area: Area | None
    ) -> list[Consultant]: ...
    async def booked_slots(self, consultant_id: str) -> set[str]: ...
    async def appointments(
        self, centres: frozenset[str] | None, *, consultant_id: str | None, umkm_id: str | None
    ) -> list[Appointment]: ...


@dataclass(frozen=True)
class SlotState:
    slot: Slot
    booked: bool


class MentoringHandlers:
    def __init__(self, stores: Stores, queries: MentoringQueries, clock: Clock) -> None:
        self.stores = stores
        self.queries = queries
        self.clock = clock

    async def add_consultant(self, command: AddConsultant, actor: Actor) -> Consultant:
        centre_id = validate_centre_id(command.centre_id)
        ensure_may_act_for(actor, centre_id)
        consultant = Consultant.create(new_event_id(), centre_id, command.name, command.areas)
        await self.stores.consultants.add(consultant, cause(actor))
        return consultant

    async def consultant(self, consultant_id: str, actor: Actor) -> Consultant:
        return await visible(self.stores.consultants, consultant_id, actor)

    async def consultants(self, actor: Actor, area: Area | None) -> list[Consultant]:
        return await self.queries.consultants(actor.centres, area)

    async def offer_slots(
        self, consultant_id: str, slots: list[SlotTimes], actor: Actor
    ) -> list[Slot]:
        new = [(new_event_id(), s.starts_at, s.ends_at) for s in slots]
        now = self.clock()
        return await change_visible(
            self.stores.consultants, consultant_id, actor, lambda c: c.offer(new, now)
        )

    async def slots(self, consultant_id: str, actor: Actor) -> list[SlotState]:
        consultant = await visible(self.stores.consultants, consultant_id, actor)
        booked = await self.queries.booked_slots(consultant_id)
        now = self.clock()
        upcoming = [slot for slot in consultant.slots if slot.starts_at > now]
        return [SlotState(slot, slot.slot_id in booked) for slot in upcoming]

    async def book(self, command: BookMentoring, actor: Actor) -> Appointment:
        consultant = await visible(self.stores.consultants, command.consultant_id, actor)
        await served_enterprise(self.stores.enterprises, command.umkm_id, consultant.centre_id)
        appointment = Appointment.book(
            new_event_id(), consultant, command.slot_id, command.umkm_id, command.area, self.clock()
        )
        try:
            await self.stores.appointments.add(appointment, cause(actor))
        except DuplicateKey:
            raise SlotTaken(command.slot_id) from None
        return appointment

    async def appointment(self, appointment_id: str, actor: Actor) -> Appointment:
        return await visible(self.stores.appointments, appointment_id, actor)

    async def appointments(
        self, actor: Actor, *, consultant_id: str | None, umkm_id: str | None
    ) -> list[Appointment]:
        return await self.queries.appointments(
            actor.centres, consultant_id=consultant_id, umkm_id=umkm_id
        )

    async def reschedule(self, appointment_id: str, slot_id: str, actor: Actor) -> Appointment:
        current = await visible(self.stores.appointments, appointment_id, actor)
        consultant = await visible(self.stores.consultants, current.consultant_id, actor)
        now = self.clock()

        def move(appointment: Appointment) -> None:
            appointment.reschedule(consultant, slot_id, now)

        try:
            return await update_visible(self.stores.appointments, appointment_id, actor, move)
        except DuplicateKey:
            raise SlotTaken(slot_id) from None

    async def cancel(self, appointment_id: str, actor: Actor) -> Appointment:
        now = self.clock()
        return await update_visible(
            self.stores.appointments, appointment_id, actor, lambda a: a.cancel(now)
        )

    async def complete(
        self, appointment_id: str, command: CompleteMentoring, actor: Actor
    ) -> Appointment:
        outcome, now = Outcome.of(command.summary, command.follow_up_areas), self.clock()
        return await update_visible(
            self.stores.appointments, appointment_id, actor, lambda a: a.complete(outcome, now)
        )
