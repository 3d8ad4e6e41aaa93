"""Contracts of the registration service: `registration.*` events.

`registered` and `profile_updated` carry personal data and travel on the
internal bus only; they never reach the partner stream.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from plut_shared.contracts.catalog import Payload, event
from plut_shared.contracts.text import Code, Count, Email, Name, Value


class ScaleClass(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class ScaleBasis(StrEnum):
    CAPITAL = "capital"
    SALES = "sales"


class Channel(StrEnum):
    WHATSAPP = "whatsapp"
    SMS = "sms"
    EMAIL = "email"


class Language(StrEnum):
    ID = "id"
    EN = "en"


class Consents(Payload):
    financing_partners: bool = Field(
        default=False, description="Owner agreed to share data with financing partners (KUR banks)."
    )
    marketing: bool = Field(default=False, description="Owner agreed to receive marketing.")


@event("registration.umkm.registered")
class UmkmRegistered(Payload):
    umkm_id: Code = Field(description="Id of the enterprise.")
    business_name: Name = Field(description="Trading name of the business.")
    sector: Name = Field(description="Business sector, e.g. `footwear`, `culinary`.")
    scale_class: ScaleClass = Field(description="Class under PP 7/2021 art. 35.")
    owner_name: Name = Field(description="Owner's full name. Personal data.")
    phone: Code = Field(description="Owner's phone in E.164 (`+628...`). Personal data.")
    email: Email | None = Field(default=None, description="Owner's email. Personal data.")
    preferred_channel: Channel = Field(description="Channel the owner wants to be reached on.")
    language: Language = Field(default=Language.ID, description="Language of notifications.")
    consents: Consents = Field(description="Consent flags per purpose.")
    nik: Code = Field(description="Owner's 16-digit NIK. Personal data: internal bus only.")
    nib: Code | None = Field(default=None, description="13-digit business id from OSS, if any.")
    founding_year: int | None = Field(
        default=None, ge=1, le=9999, description="Year the business was founded, if known."
    )


@event("registration.umkm.profile_updated")
class UmkmProfileUpdated(Payload):
    umkm_id: Code = Field(description="Id of the enterprise.")
    changed: dict[Code, Value | Count | None] = Field(
        max_length=50, description="Changed fields and their new values. May hold personal data."
    )


@event("registration.umkm.scale_changed")
class UmkmScaleChanged(Payload):
    umkm_id: Code = Field(description="Id of the enterprise.")
    from_class: ScaleClass = Field(description="Class before the change.")
    to_class: ScaleClass = Field(description="Class after the change.")
    basis: ScaleBasis = Field(description="Figure that decided: capital or annual sales.")
    effective_date: date = Field(description="Date the new class applies from.")
    naik_kelas: bool = Field(description="True when the class went up ('naik kelas').")


@event("registration.umkm.consent_changed")
class UmkmConsentChanged(Payload):
    umkm_id: Code = Field(description="Id of the enterprise.")
    consents: Consents = Field(description="Consent flags after the change.")
    source: Name = Field(
        description="Where consent was given or withdrawn, e.g. `officer`, `form`."
    )


@event("registration.umkm.erased")
class UmkmErased(Payload):
    umkm_id: Code = Field(
        description="Id of the enterprise whose owner asked for erasure. Every service must "
        "purge or anonymise that person's data."
    )
