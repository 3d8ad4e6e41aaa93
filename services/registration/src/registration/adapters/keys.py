"""Lookup keys stored beside an enterprise document: identity digests and place keys.

Identity keys (NIK, NIB, phone) carry unique indexes, which the store enforces
atomically, so two concurrent registrations of one person cannot both win.
They hold SHA-256 digests, not values: MongoDB quotes the key value in
duplicate-key errors, and those end up in logs, where a NIK must never be.
An absent NIB (and every key of an erased owner) gets a key of its own that
collides with nothing, so the unique indexes need no sparse or partial
options, which not every MongoDB-wire store honours.
"""

from __future__ import annotations

import hashlib

from registration.domain.enterprise import Enterprise
from registration.domain.profile import Address
from registration.domain.similarity import name_key

IDENTITY_FIELDS = ("nik", "nib", "phone")
KEY_FIELD = {name: f"{name}_key" for name in IDENTITY_FIELDS}


def identity_digest(field: str, value: str) -> str:
    return hashlib.sha256(f"{field}:{value}".encode()).hexdigest()


def identity_keys(enterprise: Enterprise) -> dict[str, str]:
    owner, umkm_id = enterprise.owner, enterprise.umkm_id
    if owner is None:
        return {KEY_FIELD[name]: f"erased:{name}:{umkm_id}" for name in IDENTITY_FIELDS}
    nib = enterprise.business.nib
    return {
        "nik_key": identity_digest("nik", owner.nik),
        "phone_key": identity_digest("phone", owner.phone),
        "nib_key": identity_digest("nib", nib) if nib else f"none:nib:{umkm_id}",
    }


def village_key(address: Address) -> str | None:
    """Same village means same province, regency, district and village name."""
    if address.village is None:
        return None
    parts = (address.province, address.regency_city, address.district, address.village)
    return "|".join(" ".join(part.casefold().split()) for part in parts)


def place_keys(enterprise: Enterprise) -> dict[str, str | None]:
    name = enterprise.business.name
    return {
        "village_key": village_key(enterprise.business.address),
        "name_key": None if name is None else name_key(name),
    }
