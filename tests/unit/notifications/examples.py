"""Example events built from the contract payload models, one per notification rule.

Building them through the models means a contract change that a template
relies on breaks the rendering tests, not an owner's message.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from notifications.domain.contacts import Contact
from notifications.domain.rules import Rule
from plut_shared.contracts import financing, registration, training
from plut_shared.contracts.registration import Channel, Language, ScaleBasis, ScaleClass
from pydantic import BaseModel

CENTRE = "kota-mojokerto"
UMKM_ID = "umkm-0001"
# Monday 30 November 2026, 09.00 WIB.
SESSION_START = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def registered(**changes: object) -> registration.UmkmRegistered:
    fields: dict[str, object] = {
        "umkm_id": UMKM_ID,
        "business_name": "Sepatu Maja Citra",
        "sector": "footwear",
        "scale_class": ScaleClass.MICRO,
        "owner_name": "Siti Rahayu",
        "phone": "+6281234567890",
        "email": "siti@example.id",
        "preferred_channel": Channel.WHATSAPP,
        "language": Language.ID,
        "consents": registration.Consents(financing_partners=True),
        "nik": "3576014101900001",
        "nib": "1234567890123",
    }
    return registration.UmkmRegistered.model_validate({**fields, **changes})


def contact(**changes: object) -> Contact:
    return Contact.from_registered(registered(**changes), CENTRE)


def _enrollment(model: type[BaseModel], **extra: object) -> BaseModel:
    return model(
        umkm_id=UMKM_ID,
        session_id="session-42",
        topic="Pemasaran digital",
        starts_at=SESSION_START,
        place="Aula PLUT Kota Mojokerto",
        **extra,
    )


def _referral(model: type[BaseModel], **extra: object) -> BaseModel:
    fields: dict[str, object] = {
        "referral_id": "ref-7",
        "umkm_id": UMKM_ID,
        "scheme": financing.KurScheme.MIKRO,
        "amount": 50_000_000,
        "partner_id": "bank-jatim",
        "status": "submitted",
    }
    return model.model_validate({**fields, **extra})


EXAMPLES: dict[str, BaseModel] = {
    "registration.umkm.registered": registered(),
    "registration.umkm.scale_changed": registration.UmkmScaleChanged(
        umkm_id=UMKM_ID,
        from_class=ScaleClass.MICRO,
        to_class=ScaleClass.SMALL,
        basis=ScaleBasis.SALES,
        effective_date=date(2026, 12, 1),
        naik_kelas=True,
    ),
    "training.enrollment.confirmed": _enrollment(training.EnrollmentConfirmed),
    "training.enrollment.waitlisted": _enrollment(
        training.EnrollmentWaitlisted, waitlist_position=3
    ),
    "training.enrollment.promoted": _enrollment(training.EnrollmentPromoted),
    "training.enrollment.cancelled": _enrollment(training.EnrollmentCancelled),
    "training.participant.completed": _enrollment(
        training.ParticipantCompleted, certificate_number="PLUT-MJK-2026-0042"
    ),
    "training.mentoring.scheduled": training.MentoringScheduled(
        umkm_id=UMKM_ID, appointment_id="appt-9", consultant_area="marketing", at=SESSION_START
    ),
    "training.mentoring.cancelled": training.MentoringCancelled(
        umkm_id=UMKM_ID, appointment_id="appt-9", consultant_area="marketing", at=SESSION_START
    ),
    "financing.referral.submitted": _referral(financing.ReferralSubmitted),
    "financing.referral.forwarded": _referral(financing.ReferralForwarded, status="forwarded"),
    "financing.referral.decided": _referral(
        financing.ReferralDecided, status="approved", approved=True
    ),
    "financing.referral.disbursed": _referral(financing.ReferralDisbursed, status="disbursed"),
    "financing.referral.escalated": _referral(financing.ReferralEscalated, status="escalated"),
    "financing.referral.withdrawn": _referral(
        financing.ReferralWithdrawn, status="withdrawn", reason="Permintaan pemilik usaha."
    ),
}

REJECTED = _referral(
    financing.ReferralDecided,
    status="rejected",
    approved=False,
    reason="Riwayat kredit belum memenuhi syarat.",
)


def example_for(rule: Rule) -> BaseModel:
    """The example event that makes `rule` fire."""
    return REJECTED if rule.template == "referral_rejected" else EXAMPLES[rule.event_type]
