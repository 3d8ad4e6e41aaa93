"""Value objects of an enterprise's profile.

They are immutable: the aggregate swaps a whole value for a corrected one, so
a failed correction can never leave a half-changed profile behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from plut_shared.contracts.registration import Channel, Consents, Language

from registration.domain.errors import DomainValidationError


class ConsentPurpose(StrEnum):
    """Purposes the owner consents to one by one (UU No. 27/2022); names match `Consents`."""

    FINANCING_PARTNERS = "financing_partners"
    MARKETING = "marketing"


def consent_purpose(raw: ConsentPurpose | str) -> ConsentPurpose:
    try:
        return ConsentPurpose(raw)
    except ValueError:
        allowed = ", ".join(p.value for p in ConsentPurpose)
        raise DomainValidationError("purpose", f"purpose must be one of: {allowed}") from None


@dataclass(frozen=True, slots=True)
class Owner:
    name: str
    nik: str
    phone: str
    email: str | None
    preferred_channel: Channel = Channel.WHATSAPP
    language: Language = Language.ID


@dataclass(frozen=True, slots=True)
class Address:
    province: str
    regency_city: str
    district: str
    village: str | None = None


@dataclass(frozen=True, slots=True)
class Business:
    # `name` and `nib` become None on erasure: for a one-person business either
    # of them leads straight back to the owner.
    name: str | None
    nib: str | None
    sector: str
    address: Address
    founding_year: int | None = None


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    granted: bool = False
    at: datetime | None = None
    source: str | None = None


def consent_flags(consents: dict[ConsentPurpose, ConsentRecord]) -> Consents:
    """The contract's view of consent: flags only, no times or sources."""
    return Consents(
        **{
            purpose.value: consents.get(purpose, ConsentRecord()).granted
            for purpose in ConsentPurpose
        }
    )


def profile_values(owner: Owner, business: Business, employees: int) -> dict[str, Any]:
    """The profile as flat named fields, the names commands and events use."""
    return {
        "owner_name": owner.name,
        "nik": owner.nik,
        "phone": owner.phone,
        "email": owner.email,
        "preferred_channel": owner.preferred_channel,
        "language": owner.language,
        "business_name": business.name,
        "nib": business.nib,
        "sector": business.sector,
        "province": business.address.province,
        "regency_city": business.address.regency_city,
        "district": business.address.district,
        "village": business.address.village,
        "founding_year": business.founding_year,
        "employees": employees,
    }


def profile_from_values(values: dict[str, Any]) -> tuple[Owner, Business, int]:
    """Inverse of `profile_values`; the values must already be normalised."""
    owner = Owner(
        name=values["owner_name"],
        nik=values["nik"],
        phone=values["phone"],
        email=values["email"],
        preferred_channel=values["preferred_channel"],
        language=values["language"],
    )
    address = Address(
        province=values["province"],
        regency_city=values["regency_city"],
        district=values["district"],
        village=values["village"],
    )
    business = Business(
        name=values["business_name"],
        nib=values["nib"],
        sector=values["sector"],
        address=address,
        founding_year=values["founding_year"],
    )
    return owner, business, values["employees"]
