"""Example data for the registration unit tests; every person is invented."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from plut_shared.contracts.registration import Channel, Language
from registration.domain.enterprise import Enterprise
from registration.domain.profile import Address, Business, ConsentPurpose, Owner

UMKM_ID = "0190f3a0-0000-7000-8000-000000000001"
CENTRE = "kota-mojokerto"
MAN_NIK = "3576011505850001"  # Kota Mojokerto, born 15 May 1985
WOMAN_NIK = "3576015505850002"  # same day, day + 40
PHONE = "+6281234567890"
REGISTERED_AT = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
TODAY = date(2025, 6, 30)


def owner(**changes: Any) -> Owner:
    siti = Owner(
        name="Siti Rahayu",
        nik=WOMAN_NIK,
        phone="0812-3456-7890",
        email="siti@example.id",
        preferred_channel=Channel.WHATSAPP,
        language=Language.ID,
    )
    return replace(siti, **changes)


def business() -> Business:
    address = Address("Jawa Timur", "Kota Mojokerto", "Prajurit Kulon", "Surodinawan")
    return Business("UD Sepatu Maja Citra", "1234567890123", "alas kaki", address, 2010)


def enterprise(capital: int = 500_000_000, annual_sales: int | None = 1_500_000_000) -> Enterprise:
    registered = Enterprise.register(
        umkm_id=UMKM_ID,
        centre_id=CENTRE,
        owner=owner(),
        business=business(),
        capital=capital,
        annual_sales=annual_sales,
        employees=12,
        consents={ConsentPurpose.FINANCING_PARTNERS: True},
        consent_source="form",
        at=REGISTERED_AT,
    )
    registered.pull_events()
    return registered
