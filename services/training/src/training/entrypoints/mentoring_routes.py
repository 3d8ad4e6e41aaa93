"""HTTP routes of mentoring: consultants, their slots, and appointments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from plut_shared.routes import Reader, Writer

from training.domain.commands import (
    AddConsultant,
    BookMentoring,
    CompleteMentoring,
    OfferSlots,
    RescheduleMentoring,
)
from training.domain.consultant import Area
from training.entrypoints.http import READ_ERRORS, WRITE_ERRORS, Services
from training.entrypoints.mentoring_views import AppointmentView, ConsultantView, SlotView

router = APIRouter(tags=["mentoring"], responses=READ_ERRORS)
OptionalId = Annotated[str | None, Query(max_length=64)]


@router.post(
    "/consultants",
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    summary="Add a consultant of a centre, with the areas they advise on",
)
async def add_consultant(command: AddConsultant, actor: Writer, w: Services) -> ConsultantView:
    return ConsultantView.of(await w.mentoring.add_consultant(command, actor))


@router.get("/consultants", summary="Consultants of the caller's centres, optionally by area")
async def list_consultants(
    actor: Reader, w: Services, area: Area | None = None
) -> list[ConsultantView]:
    return [ConsultantView.of(c) for c in await w.mentoring.consultants(actor, area)]


@router.get("/consultants/{consultant_id}", summary="One consultant")
async def read_consultant(consultant_id: str, actor: Reader, w: Services) -> ConsultantView:
    return ConsultantView.of(await w.mentoring.consultant(consultant_id, actor))


@router.post(
    "/consultants/{consultant_id}/slots",
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    summary="Offer slots for mentoring (no overlaps)",
)
async def offer_slots(
    consultant_id: str, command: OfferSlots, actor: Writer, w: Services
) -> list[SlotView]:
    added = await w.mentoring.offer_slots(consultant_id, command.slots, actor)
    return [SlotView.of(slot, booked=False) for slot in added]


@router.get("/consultants/{consultant_id}/slots", summary="Upcoming slots and which are booked")
async def list_slots(
    consultant_id: str, actor: Reader, w: Services, available: bool = False
) -> list[SlotView]:
    states = await w.mentoring.slots(consultant_id, actor)
    return [SlotView.state(s) for s in states if not (available and s.booked)]


@router.post(
    "/appointments",
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    summary="Book a slot for an enterprise (publishes training.mentoring.scheduled)",
)
async def book(command: BookMentoring, actor: Writer, w: Services) -> AppointmentView:
    return AppointmentView.of(await w.mentoring.book(command, actor))


@router.get("/appointments", summary="Appointments of the caller's centres")
async def list_appointments(
    actor: Reader, w: Services, consultant_id: OptionalId = None, umkm_id: OptionalId = None
) -> list[AppointmentView]:
    found = await w.mentoring.appointments(actor, consultant_id=consultant_id, umkm_id=umkm_id)
    return [AppointmentView.of(a) for a in found]


@router.get("/appointments/{appointment_id}", summary="One appointment")
async def read_appointment(appointment_id: str, actor: Reader, w: Services) -> AppointmentView:
    return AppointmentView.of(await w.mentoring.appointment(appointment_id, actor))


@router.post(
    "/appointments/{appointment_id}/reschedule",
    responses=WRITE_ERRORS,
    summary="Move to another slot of the same consultant",
)
async def reschedule(
    appointment_id: str, command: RescheduleMentoring, actor: Writer, w: Services
) -> AppointmentView:
    moved = await w.mentoring.reschedule(appointment_id, command.slot_id, actor)
    return AppointmentView.of(moved)


@router.post(
    "/appointments/{appointment_id}/cancel",
    responses=WRITE_ERRORS,
    summary="Cancel; the slot is free again",
)
async def cancel(appointment_id: str, actor: Writer, w: Services) -> AppointmentView:
    return AppointmentView.of(await w.mentoring.cancel(appointment_id, actor))


@router.post(
    "/appointments/{appointment_id}/complete",
    responses=WRITE_ERRORS,
    summary="Close with a short outcome record (kept here, never published)",
)
async def complete(
    appointment_id: str, command: CompleteMentoring, actor: Writer, w: Services
) -> AppointmentView:
    return AppointmentView.of(await w.mentoring.complete(appointment_id, command, actor))
