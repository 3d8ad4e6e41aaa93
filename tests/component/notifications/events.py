"""Envelopes as the other services publish them, with fresh ids per test."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from plut_shared.contracts import Envelope, make_envelope, training
from plut_shared.contracts.registration import (
    Channel,
    Consents,
    Language,
    ScaleClass,
    UmkmErased,
    UmkmProfileUpdated,
    UmkmRegistered,
)
from pydantic import BaseModel

from tests.component.notifications.service import CENTRE

PHONE = "+6281234567890"
EMAIL = "siti@example.id"
OWNER = "Siti Rahayu"
BUSINESS = "Sepatu Maja Citra"


def envelope(payload: BaseModel, subject_id: str, producer: str = "registration") -> Envelope:
    return make_envelope(
        payload,
        producer=producer,
        centre_id=CENTRE,
        subject_id=subject_id,
        correlation_id=f"corr-{subject_id}",
    )


def registered(umkm_id: str, **changes: Any) -> Envelope:
    fields: dict[str, Any] = {
        "umkm_id": umkm_id,
        "business_name": BUSINESS,
        "sector": "footwear",
        "scale_class": ScaleClass.MICRO,
        "owner_name": OWNER,
        "phone": PHONE,
        "email": EMAIL,
        "preferred_channel": Channel.WHATSAPP,
        "language": Language.ID,
        "consents": Consents(financing_partners=True),
        "nik": "3576014101900001",
        "nib": "1234567890123",
        **changes,
    }
    return envelope(UmkmRegistered(**fields), umkm_id)


def profile_updated(umkm_id: str, **changed: Any) -> Envelope:
    return envelope(UmkmProfileUpdated(umkm_id=umkm_id, changed=changed), umkm_id)


def erased(umkm_id: str) -> Envelope:
    return envelope(UmkmErased(umkm_id=umkm_id), umkm_id)


def enrollment(
    kind: type[BaseModel], umkm_id: str, starts_at: datetime, session_id: str = "session-42"
) -> Envelope:
    payload = kind(
        umkm_id=umkm_id,
        session_id=session_id,
        topic="Pemasaran digital",
        starts_at=starts_at,
        place="Aula PLUT Kota Mojokerto",
    )
    return envelope(payload, f"{session_id}-{umkm_id}", producer="training")


confirmed = training.EnrollmentConfirmed
promoted = training.EnrollmentPromoted
cancelled = training.EnrollmentCancelled


def mentoring_cancelled(umkm_id: str, at: datetime, area: str = "marketing") -> Envelope:
    payload = training.MentoringCancelled(
        umkm_id=umkm_id, appointment_id=f"appt-{umkm_id}", consultant_area=area, at=at
    )
    return envelope(payload, f"appt-{umkm_id}", producer="training")
