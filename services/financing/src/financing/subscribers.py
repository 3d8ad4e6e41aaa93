"""Event handlers: the enterprise read model, completed courses, and partners' replies.

Each effect is applied once per event (`apply_event` records the event id in
the same write). A partner's reply names the partner in `producer`, which the
consumer's `PartnerReplyTrust` has checked against the broker-verified
`user_id`; a decision for a referral routed to another partner, or one the
referral is not in a state for, changes nothing and is parked with the reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from plut_shared.contracts import Envelope
from plut_shared.contracts.partners import PartnerDecision, PartnerDisbursement
from plut_shared.contracts.registration import (
    UmkmConsentChanged,
    UmkmErased,
    UmkmProfileUpdated,
    UmkmRegistered,
    UmkmScaleChanged,
)
from plut_shared.contracts.training import ParticipantCompleted, SessionScheduled
from plut_shared.enterprise_mirror import enterprise_routes
from plut_shared.messaging import Aggregates, Handler, InvalidMessage

from financing.adapters.referral_queries import ReferralQueries
from financing.domain.enterprise import FINANCING_CONSENT, CourseSession, EnterpriseProfile
from financing.domain.referral import Referral, ReferralRefused

log = logging.getLogger(__name__)


class FinancingSubscribers:
    def __init__(
        self,
        enterprises: Aggregates[EnterpriseProfile],
        sessions: Aggregates[CourseSession],
        referrals: Aggregates[Referral],
        queries: ReferralQueries,
        clock: Callable[[], datetime],
    ) -> None:
        self.enterprises, self.sessions, self.referrals = enterprises, sessions, referrals
        self.queries, self.clock = queries, clock

    def routes(self) -> dict[str, Handler]:
        return {
            **enterprise_routes(self),
            "training.session.scheduled": self.on_session_scheduled,
            "training.participant.completed": self.on_participant_completed,
        }

    def partner_routes(self) -> dict[str, Handler]:
        return {
            "partner.referral.decided": self.on_decision,
            "partner.referral.disbursed": self.on_disbursement,
        }

    async def _on_profile(
        self, envelope: Envelope, umkm_id: str, change: Callable[[EnterpriseProfile], object]
    ) -> None:
        def stub() -> EnterpriseProfile:
            return EnterpriseProfile.stub(umkm_id, envelope.centre_id)

        await self.enterprises.apply_event(umkm_id, envelope, change, create=stub)

    async def on_registered(self, envelope: Envelope, payload: UmkmRegistered) -> None:
        await self._on_profile(envelope, payload.umkm_id, lambda p: p.register(payload))

    async def on_profile_updated(self, envelope: Envelope, payload: UmkmProfileUpdated) -> None:
        changed = payload.changed
        await self._on_profile(envelope, payload.umkm_id, lambda p: p.update_profile(changed))

    async def on_scale_changed(self, envelope: Envelope, payload: UmkmScaleChanged) -> None:
        to_class = payload.to_class
        await self._on_profile(envelope, payload.umkm_id, lambda p: p.change_scale(to_class))

    async def on_consent_changed(self, envelope: Envelope, payload: UmkmConsentChanged) -> None:
        consents = payload.consents
        await self._on_profile(envelope, payload.umkm_id, lambda p: p.change_consents(consents))
        if not getattr(consents, FINANCING_CONSENT):
            now = self.clock()
            for referral_id in await self.queries.open_of(payload.umkm_id):
                await self.referrals.apply_event(
                    referral_id, envelope, lambda r: r.consent_withdrawn(now)
                )

    async def on_erased(self, envelope: Envelope, payload: UmkmErased) -> None:
        await self._on_profile(envelope, payload.umkm_id, lambda p: p.erase())
        now = self.clock()
        for referral_id in await self.queries.ids_of(payload.umkm_id):
            await self.referrals.apply_event(referral_id, envelope, lambda r: r.owner_erased(now))
        log.info("owner erased from financing; partners told for the referrals they received")

    async def on_session_scheduled(self, envelope: Envelope, payload: SessionScheduled) -> None:
        session = CourseSession(payload.session_id, envelope.centre_id, payload.course_id)
        await self.sessions.apply_event(
            payload.session_id, envelope, lambda s: None, create=lambda: session
        )

    async def on_participant_completed(
        self, envelope: Envelope, payload: ParticipantCompleted
    ) -> None:
        session_id = payload.session_id
        await self._on_profile(envelope, payload.umkm_id, lambda p: p.complete_session(session_id))

    async def on_decision(self, envelope: Envelope, payload: PartnerDecision) -> None:
        now, partner_id = self.clock(), envelope.producer
        await self._partner_step(
            envelope,
            payload.referral_id,
            lambda r: r.decide(partner_id, payload.approved, payload.reason, now),
        )

    async def on_disbursement(self, envelope: Envelope, payload: PartnerDisbursement) -> None:
        now, partner_id = self.clock(), envelope.producer
        await self._partner_step(
            envelope, payload.referral_id, lambda r: r.disburse(partner_id, payload.amount, now)
        )

    async def _partner_step(
        self, envelope: Envelope, referral_id: str, step: Callable[[Referral], object]
    ) -> None:
        if await self.referrals.get(referral_id) is None:
            raise InvalidMessage(f"no referral {referral_id[:100]}")
        try:
            await self.referrals.apply_event(referral_id, envelope, step)
        except ReferralRefused as refused:
            raise InvalidMessage(str(refused)) from None
