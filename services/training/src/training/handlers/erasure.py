"""What an erased owner still had coming is withdrawn (README, "Erasure").

The enterprise's document lists the sessions it enrolled in and the
appointments it booked, learnt from training's own events, which leave in the
same write as the enrolment or the booking. So an erasure reads each of them by
id and changes it in its own compare-and-swap, with its own events; nothing is
scanned.

Delivery is at least once. Each step is idempotent by state: a withdrawn
enrolment or appointment is cancelled, so a second pass finds nothing to change
and writes nothing. A redelivered erasure walks the whole list again, which
finishes what a delivery that died half-way left undone.
"""

from __future__ import annotations

import logging

from plut_shared.contracts import Envelope
from plut_shared.messaging import Cause

from training.handlers.common import Clock, Stores

log = logging.getLogger(__name__)


class ErasureWithdrawals:
    def __init__(self, stores: Stores, clock: Clock) -> None:
        self.stores = stores
        self.clock = clock

    async def erased(self, umkm_id: str) -> bool:
        enterprise = await self.stores.enterprises.get(umkm_id)
        return enterprise is not None and enterprise.erased

    async def withdraw_all(self, envelope: Envelope, umkm_id: str) -> None:
        """Every future enrolment and appointment of the erased enterprise, cancelled."""
        enterprise = await self.stores.enterprises.get(umkm_id)
        if enterprise is None or not enterprise.erased:
            return
        enrolments = appointments = 0
        for session_id in enterprise.session_ids:
            enrolments += await self.withdraw_enrolment(envelope, umkm_id, session_id)
        for appointment_id in enterprise.appointment_ids:
            appointments += await self.withdraw_appointment(envelope, appointment_id)
        log.info(
            "erasure withdrew %d enrolments and %d mentoring appointments",
            enrolments,
            appointments,
        )

    async def withdraw_enrolment(self, envelope: Envelope, umkm_id: str, session_id: str) -> int:
        """Cancel the enterprise's future seat or waiting place in one session; how many."""
        now = self.clock()
        withdrawn = await self.stores.sessions.change(
            session_id, lambda s: s.withdraw_erased(umkm_id, now), Cause.of(envelope)
        )
        return len(withdrawn or [])

    async def withdraw_appointment(self, envelope: Envelope, appointment_id: str) -> int:
        """Cancel one appointment if it is still to come; 1 if it was cancelled now."""
        now = self.clock()
        withdrawn = await self.stores.appointments.change(
            appointment_id, lambda a: a.withdraw_erased(now), Cause.of(envelope)
        )
        return int(bool(withdrawn))
