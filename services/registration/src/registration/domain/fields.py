"""Normalisers for every profile field, shared by the aggregate and the commands.

One table keeps the HTTP input, the import file and the aggregate's own
corrections on the same rules.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

from plut_shared.contracts.registration import Channel, Language
from plut_shared.contracts.text import hidden_character_problem, is_blank

from registration.domain.errors import DomainValidationError
from registration.domain.identity import (
    PROVINCES,
    normalise_email,
    normalise_phone,
    validate_nib,
    validate_nik,
)
from registration.domain.profile import Business, Owner, profile_from_values, profile_values

MAX_TEXT_LENGTH = 200
EARLIEST_FOUNDING_YEAR = 1900
# Domain ceilings, far above any UMKM (the medium class ends at Rp50 billion of sales)
# and below what the store's 64-bit integers hold.
MAX_RUPIAH = 10**15
MAX_EMPLOYEES = 1_000_000
NUMBER_CEILINGS: MappingProxyType[str, int] = MappingProxyType(
    {"capital": MAX_RUPIAH, "annual_sales": MAX_RUPIAH, "employees": MAX_EMPLOYEES}
)
# Short forms officers write for the provinces most centres see.
PROVINCE_ALIASES: MappingProxyType[str, str] = MappingProxyType(
    {
        "jatim": "Jawa Timur",
        "jateng": "Jawa Tengah",
        "jabar": "Jawa Barat",
        "diy": "DI Yogyakarta",
        "yogyakarta": "DI Yogyakarta",
        "jakarta": "DKI Jakarta",
        "dki": "DKI Jakarta",
    }
)
E = TypeVar("E", bound=StrEnum)


def clean_text(field: str, raw: object) -> str:
    """One line of visible text, NFC-normalised; tabs and line breaks become spaces."""
    if not isinstance(raw, str):
        raise DomainValidationError(field, f"{field} must be text")
    problem = hidden_character_problem(raw, allow_line_breaks=True)
    if problem is not None:
        raise DomainValidationError(field, f"{field} {problem}")
    text = " ".join(unicodedata.normalize("NFC", raw).split())
    if is_blank(text):
        raise DomainValidationError(field, f"{field} cannot be empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise DomainValidationError(field, f"{field} is longer than {MAX_TEXT_LENGTH} characters")
    return text


def normalise_province(raw: object) -> str:
    text = clean_text("province", raw)
    key = text.casefold()
    by_name = {name.casefold(): name for name in PROVINCES.values()}
    found = PROVINCES.get(text) or by_name.get(key) or PROVINCE_ALIASES.get(key)
    if found is None:
        raise DomainValidationError(
            "province", "province must be an Indonesian province, e.g. 'Jawa Timur'"
        )
    return found


def whole_number(field: str, raw: object, minimum: int = 0) -> int:
    # bool is an int subclass; `True` employees is a bug, not a count.
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise DomainValidationError(field, f"{field} must be a whole number")
    if raw < minimum:
        raise DomainValidationError(field, f"{field} cannot be less than {minimum}")
    ceiling = NUMBER_CEILINGS.get(field)
    if ceiling is not None and raw > ceiling:
        raise DomainValidationError(field, f"{field} cannot be more than {ceiling}")
    return raw


def founding_year(raw: object, today: date | None = None) -> int:
    year = whole_number("founding_year", raw)
    latest = (today or date.today()).year
    if not EARLIEST_FOUNDING_YEAR <= year <= latest:
        raise DomainValidationError(
            "founding_year", f"founding_year must be between {EARLIEST_FOUNDING_YEAR} and {latest}"
        )
    return year


def _choice(field: str, enum: type[E]) -> Callable[[object], E]:
    def parse(raw: object) -> E:
        try:
            return enum(str(raw).strip().lower())
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            raise DomainValidationError(field, f"{field} must be one of: {allowed}") from None

    return parse


def _text(field: str) -> Callable[[object], str]:
    return lambda raw: clean_text(field, raw)


def _as_str(field: str, parse: Callable[[str], Any]) -> Callable[[object], Any]:
    def run(raw: object) -> Any:
        if not isinstance(raw, str):
            raise DomainValidationError(field, f"{field} must be text")
        return parse(raw)

    return run


# Fields that may be None: an absent email, NIB, village or founding year.
OPTIONAL_FIELDS = frozenset({"email", "nib", "village", "founding_year"})

PROFILE_FIELDS: MappingProxyType[str, Callable[[object], Any]] = MappingProxyType(
    {
        "owner_name": _text("owner_name"),
        "nik": _as_str("nik", lambda raw: validate_nik(raw).value),
        "phone": _as_str("phone", normalise_phone),
        "email": _as_str("email", normalise_email),
        "preferred_channel": _choice("preferred_channel", Channel),
        "language": _choice("language", Language),
        "business_name": _text("business_name"),
        "nib": _as_str("nib", validate_nib),
        "sector": _text("sector"),
        "province": normalise_province,
        "regency_city": _text("regency_city"),
        "district": _text("district"),
        "village": _text("village"),
        "founding_year": founding_year,
        "employees": lambda raw: whole_number("employees", raw),
    }
)


def normalise_field(name: str, raw: object) -> Any:
    """Validate one profile field by name and return its normalised value."""
    parse = PROFILE_FIELDS.get(name)
    if parse is None:
        raise DomainValidationError(name, f"{name} is not a profile field that can be corrected")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if name in OPTIONAL_FIELDS:
            return None
        raise DomainValidationError(name, f"{name} is required")
    return parse(raw)


def check_contact(owner: Owner) -> None:
    """The owner must be reachable on the channel they chose."""
    if owner.preferred_channel is Channel.EMAIL and owner.email is None:
        raise DomainValidationError(
            "email", "email is required when the preferred channel is email"
        )


def checked_profile(
    owner: Owner, business: Business, employees: int
) -> tuple[Owner, Business, int]:
    """Normalise every field of a whole profile, as registration receives it."""
    values = profile_values(owner, business, employees)
    normalised = {name: normalise_field(name, raw) for name, raw in values.items()}
    checked = profile_from_values(normalised)
    check_contact(checked[0])
    return checked
