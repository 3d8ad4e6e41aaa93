"""The PLUT centres this deployment serves: East Java's six."""

from __future__ import annotations

from types import MappingProxyType

from registration.domain.errors import DomainValidationError

PLUT_CENTRES: MappingProxyType[str, str] = MappingProxyType(
    {
        "pacitan": "PLUT Kabupaten Pacitan",
        "tulungagung": "PLUT Kabupaten Tulungagung",
        "malang": "PLUT Malang",
        "jember": "PLUT Kabupaten Jember",
        "batu": "PLUT Kota Batu",
        "kota-mojokerto": "PLUT Kota Mojokerto (Maja Citra Kinarya)",
    }
)


def validate_centre_id(raw: str) -> str:
    centre_id = raw.strip().lower()
    if centre_id not in PLUT_CENTRES:
        known = ", ".join(PLUT_CENTRES)
        raise DomainValidationError("centre_id", f"unknown PLUT centre; expected one of: {known}")
    return centre_id
