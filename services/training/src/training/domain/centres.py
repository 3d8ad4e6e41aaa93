"""The PLUT centres this deployment serves, with the codes certificate numbers use.

East Java's six centres; the code is the middle part of
a certificate number such as `PLUT-KMJ-2026-000123`.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple

from training.domain.errors import DomainValidationError


class Centre(NamedTuple):
    name: str
    code: str


PLUT_CENTRES: MappingProxyType[str, Centre] = MappingProxyType(
    {
        "pacitan": Centre("PLUT Kabupaten Pacitan", "PCT"),
        "tulungagung": Centre("PLUT Kabupaten Tulungagung", "TLA"),
        "malang": Centre("PLUT Malang", "MLG"),
        "jember": Centre("PLUT Kabupaten Jember", "JBR"),
        "batu": Centre("PLUT Kota Batu", "BTU"),
        "kota-mojokerto": Centre("PLUT Kota Mojokerto (Maja Citra Kinarya)", "KMJ"),
    }
)


def validate_centre_id(raw: str) -> str:
    centre_id = raw.strip().lower()
    if centre_id not in PLUT_CENTRES:
        known = ", ".join(PLUT_CENTRES)
        raise DomainValidationError("centre_id", f"unknown PLUT centre; expected one of: {known}")
    return centre_id


def centre_of(centre_id: str) -> Centre:
    return PLUT_CENTRES[centre_id]
