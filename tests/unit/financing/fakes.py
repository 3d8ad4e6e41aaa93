"""The financing use cases and subscribers wired to in-memory parts: no broker, no store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from financing.adapters.records import EnterpriseMapper, ReferralMapper, SessionMapper
from financing.adapters.referral_queries import InMemoryReferralQueries
from financing.bootstrap import load_rules
from financing.config import FinancingSettings
from financing.domain.enterprise import CourseSession, EnterpriseProfile
from financing.domain.referral import Referral
from financing.handlers import FinancingHandlers
from financing.subscribers import FinancingSubscribers
from plut_shared.auth import Role
from plut_shared.contracts import Envelope, make_envelope
from plut_shared.contracts.registration import UmkmRegistered
from plut_shared.messaging import InMemoryAggregateStore
from plut_shared.routes import Actor

# A Monday, 10:00 WIB.
MONDAY = datetime(2026, 11, 9, 3, 0, tzinfo=UTC)
CENTRE = "kota-mojokerto"


@dataclass
class Clock:
    now: datetime = MONDAY

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def officer(centre: str = CENTRE, subject: str = "officer-1") -> Actor:
    return Actor(subject, Role.OFFICER, frozenset({centre}), "corr-1")


def registered(umkm_id: str = "umkm-1", **changes: Any) -> UmkmRegistered:
    values: dict[str, Any] = {
        "umkm_id": umkm_id,
        "business_name": "Sepatu Maja",
        "sector": "footwear",
        "scale_class": "micro",
        "owner_name": "Siti Aminah",
        "phone": "+6281234567001",
        "preferred_channel": "whatsapp",
        "consents": {"financing_partners": True},
        "nik": "3576014101900001",
        "founding_year": 2015,
    }
    return UmkmRegistered(**(values | changes))


def envelope_of(payload: Any, centre: str = CENTRE, producer: str = "registration") -> Envelope:
    subject = getattr(payload, "umkm_id", None) or getattr(payload, "referral_id", "s-1")
    return make_envelope(
        payload, producer=producer, centre_id=centre, subject_id=subject, correlation_id="c-1"
    )


@dataclass
class Wired:
    handlers: FinancingHandlers
    subscribers: FinancingSubscribers
    enterprises: InMemoryAggregateStore[EnterpriseProfile]
    sessions: InMemoryAggregateStore[CourseSession]
    referrals: InMemoryAggregateStore[Referral]
    queries: InMemoryReferralQueries
    clock: Clock = field(default_factory=Clock)

    async def register(self, payload: UmkmRegistered | None = None, centre: str = CENTRE) -> str:
        payload = payload or registered()
        await self.subscribers.on_registered(envelope_of(payload, centre), payload)
        return payload.umkm_id

    def events(self, event_type: str) -> list[Envelope]:
        return self.referrals.events_of(event_type)


def wired(settings: FinancingSettings | None = None) -> Wired:
    clock = Clock()
    enterprises = InMemoryAggregateStore(EnterpriseMapper(), producer="financing")
    sessions = InMemoryAggregateStore(SessionMapper(), producer="financing")
    referrals = InMemoryAggregateStore(ReferralMapper(), producer="financing")
    queries = InMemoryReferralQueries(referrals)
    rules = load_rules(settings or FinancingSettings())
    handlers = FinancingHandlers(enterprises, sessions, referrals, queries, rules, clock)
    subscribers = FinancingSubscribers(enterprises, sessions, referrals, queries, clock)
    return Wired(handlers, subscribers, enterprises, sessions, referrals, queries, clock)
