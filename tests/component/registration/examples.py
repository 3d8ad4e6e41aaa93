"""Request bodies and tokens for the registration component tests; every person is invented."""

from __future__ import annotations

import itertools
import random
from typing import Any

from plut_shared.auth import TokenEntry, TokenRegistry

CENTRE = "kota-mojokerto"
OTHER_CENTRE = "malang"
# role name -> (token, subject, role, centres)
PRINCIPALS = {
    "admin": ("t-admin", "admin-1", "admin", ["*"]),
    "officer": ("t-officer", "officer-mjk", "officer", [CENTRE]),
    "viewer": ("t-viewer", "viewer-mjk", "viewer", [CENTRE]),
    "other_officer": ("t-other", "officer-mlg", "officer", [OTHER_CENTRE]),
}
_serials = itertools.count(1)


def token_registry() -> TokenRegistry:
    return TokenRegistry(
        TokenEntry.for_token(token, subject=subject, role=role, centres=centres)
        for token, subject, role, centres in PRINCIPALS.values()
    )


def auth(who: str, correlation_id: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {PRINCIPALS[who][0]}"}
    if correlation_id:
        headers["X-Correlation-ID"] = correlation_id
    return headers


def fresh_identity() -> dict[str, str]:
    """A NIK (Kota Mojokerto, a woman born in 1985), phone and NIB no other body uses."""
    serial = next(_serials) % 10_000 or 1
    day = 41 + random.randint(0, 27)
    nik = f"357601{day:02d}{random.randint(1, 12):02d}85{serial:04d}"
    phone = f"0812{random.randint(10_000_000, 99_999_999)}"
    nib = str(random.randint(10**12, 10**13 - 1))
    return {"nik": nik, "phone": phone, "nib": nib}


def registration(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "owner_name": "Siti Rahayu",
        **fresh_identity(),
        "email": "siti@example.id",
        "preferred_channel": "whatsapp",
        "language": "id",
        "business_name": "UD Sepatu Maja Citra",
        "sector": "alas kaki",
        "province": "Jawa Timur",
        "regency_city": "Kota Mojokerto",
        "district": "Prajurit Kulon",
        "village": "Surodinawan",
        "founding_year": 2010,
        "capital": 500_000_000,
        "annual_sales": 1_500_000_000,
        "employees": 12,
        "centre_id": CENTRE,
        "consent_financing_partners": True,
    }
    return body | changes
