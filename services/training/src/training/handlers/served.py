"""The enterprises training may serve, kept from `registration.*` events (and its own).

Each event's effect is applied exactly once (`apply_event` records its id in
the same write). An event may arrive before the registration it follows (after
a retry): the enterprise is then created as not yet registered, and the
registration fills it in later without undoing an erasure.

Training's own enrolment and booking events add the session or appointment to
the enterprise's lists, which an erasure then withdraws (`erasure`). Such an
event that reaches an enterprise already erased is withdrawn at once: the
enrolment was written before the erasure was seen, and would otherwise stay.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from plut_shared.contracts import Envelope
from plut_shared.contracts.registration import (
    UmkmConsentChanged,
    UmkmErased,
    UmkmProfileUpdated,
    UmkmRegistered,
    UmkmScaleChanged,
)
from plut_shared.contracts.training import (
    EnrollmentConfirmed,
    EnrollmentWaitlisted,
    MentoringScheduled,
    ParticipantCompleted,
)
from plut_shared.enterprise_mirror import enterprise_routes
from plut_shared.messaging import Aggregates, Handler

from training.domain.enterprise import ServedEnterprise
from training.handlers.common import Actor, visible
from training.handlers.erasure import ErasureWithdrawals


class ServedEnterprises:
    def __init__(
        self, enterprises: Aggregates[ServedEnterprise], withdrawals: ErasureWithdrawals
    ) -> None:
        self.enterprises = enterprises
        self.withdrawals = withdrawals

    def routes(self) -> dict[str, Handler]:
        return {
            **enterprise_routes(self),
            "training.participant.completed": self.on_completed,
            "training.enrollment.confirmed": self.on_enrolled,
            "training.enrollment.waitlisted": self.on_enrolled,
            "training.mentoring.scheduled": self.on_booked,
        }

    async def on_registered(self, envelope: Envelope, payload: UmkmRegistered) -> None:
        await self._apply(envelope, payload.umkm_id, lambda e: e.on_registered(payload))

    async def on_profile_updated(self, envelope: Envelope, payload: UmkmProfileUpdated) -> None:
        await self._apply(
            envelope, payload.umkm_id, lambda e: e.on_profile_updated(payload.changed)
        )

    async def on_scale_changed(self, envelope: Envelope, payload: UmkmScaleChanged) -> None:
        to_class = str(payload.to_class)
        await self._apply(envelope, payload.umkm_id, lambda e: e.on_scale_changed(to_class))

    async def on_consent_changed(self, envelope: Envelope, payload: UmkmConsentChanged) -> None:
        flags = payload.consents.model_dump()
        await self._apply(envelope, payload.umkm_id, lambda e: e.on_consent_changed(flags))

    async def on_erased(self, envelope: Envelope, payload: UmkmErased) -> None:
        await self._apply(envelope, payload.umkm_id, lambda e: e.on_erased())
        # Also on a redelivery, whose mirror write is skipped: it finishes a crashed one.
        await self.withdrawals.withdraw_all(envelope, payload.umkm_id)

    async def on_completed(self, envelope: Envelope, payload: ParticipantCompleted) -> None:
        # Only enterprises that enrolled complete, so the enterprise is known.
        course_id, session_id = payload.course_id, payload.session_id
        await self.enterprises.apply_event(
            payload.umkm_id, envelope, lambda e: e.on_completed(course_id, session_id)
        )

    async def on_enrolled(
        self, envelope: Envelope, payload: EnrollmentConfirmed | EnrollmentWaitlisted
    ) -> None:
        umkm_id, session_id = payload.umkm_id, payload.session_id
        await self.enterprises.apply_event(umkm_id, envelope, lambda e: e.on_enrolled(session_id))
        if await self.withdrawals.erased(umkm_id):
            await self.withdrawals.withdraw_enrolment(envelope, umkm_id, session_id)

    async def on_booked(self, envelope: Envelope, payload: MentoringScheduled) -> None:
        umkm_id, appointment_id = payload.umkm_id, payload.appointment_id
        await self.enterprises.apply_event(umkm_id, envelope, lambda e: e.on_booked(appointment_id))
        if await self.withdrawals.erased(umkm_id):
            await self.withdrawals.withdraw_appointment(envelope, appointment_id)

    async def enterprise(self, umkm_id: str, actor: Actor) -> ServedEnterprise:
        return await visible(self.enterprises, umkm_id, actor)

    async def _apply(
        self, envelope: Envelope, umkm_id: str, change: Callable[[ServedEnterprise], Any]
    ) -> None:
        def create() -> ServedEnterprise:
            return ServedEnterprise(umkm_id, envelope.centre_id)

        await self.enterprises.apply_event(umkm_id, envelope, change, create=create)
