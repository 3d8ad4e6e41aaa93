"""Officers' use cases: eligibility, referring, withdrawing, reading referrals.

Plain async methods on the aggregate stores, taking the acting `Actor`
(`plut_shared.routes`); each change is saved with its events in one write,
caused by the request's correlation id. An enterprise or referral of a centre
the caller does not serve raises `NotFound`, exactly like an unknown id
(why: `plut_shared.auth.ensure_centre`). Domain refusals (`ReferralRefused`)
and `NotEligible` pass through; the routes answer 409 and 422.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from plut_shared.contracts import utc_now
from plut_shared.contracts.financing import FinancingScheme, WithdrawnBy
from plut_shared.messaging import AggregateExists, Aggregates, Cause
from plut_shared.routes import Actor

from financing.adapters.referral_queries import ReferralFilter, ReferralQueries
from financing.domain.calendar import WIB, WorkingCalendar
from financing.domain.eligibility import (
    Application,
    Reason,
    no_partner,
    open_referral,
    reasons_against,
    unknown_scheme,
)
from financing.domain.enterprise import CourseSession, EnterpriseProfile
from financing.domain.offer import applicant_for
from financing.domain.referral import Referral
from financing.domain.routing import PartnerRouter
from financing.domain.rules import Partner, SchemeBook
from financing.referral_slots import ReferralSlots, referral_id_for

SERVICE = "financing"
# A request that loses its slot asks again; losing over and over means referrals of the
# enterprise are made and closed faster than one request can look: then it is refused.
REFER_ATTEMPTS = 5


class NotFound(Exception):
    """Unknown id, or one of a centre the caller may not see (same answer)."""


class NotEligible(Exception):
    def __init__(self, reasons: list[Reason]) -> None:
        super().__init__("the referral cannot go ahead: " + "; ".join(r.code for r in reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class Rules:
    schemes: SchemeBook
    router: PartnerRouter
    calendar: WorkingCalendar

    @property
    def version(self) -> str:
        return f"schemes {self.schemes.version}, routing {self.router.version}"


@dataclass(frozen=True)
class Eligibility:
    scheme: FinancingScheme
    amount: int
    reasons: list[Reason]
    partner: Partner | None
    rules_version: str
    profile: EnterpriseProfile  # as read for the answer: a referral is made from it


class FinancingHandlers:
    def __init__(
        self,
        enterprises: Aggregates[EnterpriseProfile],
        sessions: Aggregates[CourseSession],
        referrals: Aggregates[Referral],
        queries: ReferralQueries,
        rules: Rules,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.enterprises, self.sessions, self.referrals = enterprises, sessions, referrals
        self.queries, self.rules, self.clock = queries, rules, clock
        self.slots = ReferralSlots(referrals, enterprises)

    async def eligibility(
        self, umkm_id: str, scheme: FinancingScheme, amount: int, actor: Actor
    ) -> Eligibility:
        """Every reason a referral of this enterprise to this scheme cannot go ahead."""
        profile = await self._profile(umkm_id, actor)
        rules = self.rules.schemes.get(scheme)
        partner = self.rules.router.partner_for(scheme, profile.centre_id)
        if rules is None:
            reasons = [unknown_scheme(scheme)]
            return Eligibility(scheme, amount, reasons, None, self.rules.version, profile)
        application = Application(
            profile,
            rules,
            amount,
            await self._completed_courses(profile),
            self.clock().astimezone(WIB).year,
            bool(await self.queries.open_of(umkm_id)),
        )
        reasons = reasons_against(application)
        if partner is None:
            reasons.append(no_partner(scheme))
        return Eligibility(scheme, amount, reasons, partner, self.rules.version, profile)

    async def refer(
        self, umkm_id: str, scheme: FinancingScheme, amount: int, actor: Actor
    ) -> Referral:
        """Submit and forward at once to the routed partner, or raise `NotEligible`.

        The referral takes the enterprise's next slot (`referral_slots`): of requests
        racing for one enterprise exactly one is stored, and the others ask again,
        so they are refused as a sequential second request would be.
        """
        for _ in range(REFER_ATTEMPTS):
            checked = await self.eligibility(umkm_id, scheme, amount, actor)
            if checked.reasons or checked.partner is None:
                raise NotEligible(checked.reasons)
            referral = await self._refer_in_next_slot(checked, actor)
            if referral is not None:
                return referral
        raise NotEligible([open_referral()])

    async def _refer_in_next_slot(self, checked: Eligibility, actor: Actor) -> Referral | None:
        """The stored referral, or None when another request took the slot or left it open."""
        profile = checked.profile
        umkm_id = profile.umkm_id
        slot = await self.slots.next_free(profile)
        if slot is None:
            return None
        referral = self._forwarded(referral_id_for(umkm_id, slot), checked, actor)
        cause = Cause(actor.correlation_id)
        try:
            await self.referrals.add(referral, cause)
        except AggregateExists:
            return None
        await self.slots.note_taken(umkm_id, slot, cause)
        return referral

    def _forwarded(self, referral_id: str, checked: Eligibility, actor: Actor) -> Referral:
        now, partner, profile = self.clock(), checked.partner, checked.profile
        rules = self.rules.schemes.get(checked.scheme)
        assert partner is not None and rules is not None  # eligibility found them
        referral = Referral.submit(
            referral_id=referral_id, umkm_id=profile.umkm_id, centre_id=profile.centre_id,
            scheme=checked.scheme, amount=checked.amount, rules_version=checked.rules_version,
            by=actor.subject, at=now,
        )  # fmt: skip
        due = self.rules.calendar.answer_due(now, partner.sla_working_days)
        referral.forward(partner.partner_id, applicant_for(profile, rules), due, now)
        return referral

    async def withdraw(
        self, referral_id: str, by: WithdrawnBy, reason: str, actor: Actor
    ) -> Referral:
        await self.referral(referral_id, actor)
        now = self.clock()

        def withdraw(referral: Referral) -> Referral:
            referral.withdraw(by, actor.subject, reason, now)
            return referral

        changed = await self.referrals.change(referral_id, withdraw, Cause(actor.correlation_id))
        if changed is None:
            raise NotFound(referral_id)
        return changed

    async def referral(self, referral_id: str, actor: Actor) -> Referral:
        referral = await self.referrals.get(referral_id)
        if referral is None or not actor.can_access(referral.centre_id):
            raise NotFound(referral_id)
        return referral

    async def search(
        self, where: ReferralFilter, *, limit: int, offset: int
    ) -> tuple[list[Referral], int]:
        return await self.queries.search(where, limit=limit, offset=offset)

    async def referrals_of(self, umkm_id: str, actor: Actor) -> list[Referral]:
        """An enterprise's referrals, oldest first, each with its history."""
        profile = await self._profile(umkm_id, actor)
        where = ReferralFilter(frozenset({profile.centre_id}), umkm_id=umkm_id)
        found, _ = await self.queries.search(where, limit=1000, offset=0)
        return found

    async def _profile(self, umkm_id: str, actor: Actor) -> EnterpriseProfile:
        profile = await self.enterprises.get(umkm_id)
        if profile is None or not profile.registered or not actor.can_access(profile.centre_id):
            raise NotFound(umkm_id)
        return profile

    async def _completed_courses(self, profile: EnterpriseProfile) -> frozenset[str]:
        sessions = [await self.sessions.get(sid) for sid in profile.completed_sessions]
        return frozenset(session.course_id for session in sessions if session is not None)
