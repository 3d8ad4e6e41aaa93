"""Validators for Indonesian identity data: NIK, NIB, phone and email.

Each validator either returns a normalised value or raises
`DomainValidationError`; messages never echo the value, since it is personal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from registration.domain.errors import DomainValidationError

# Kemendagri (Dukcapil) province codes, the first two digits of a NIK. The six
# Papua codes follow Kepmendagri 100.1.1-6117/2022 after the 2022 split; NIKs
# issued before it keep 91/92, which stay valid codes.
PROVINCES: MappingProxyType[str, str] = MappingProxyType(
    {
        "11": "Aceh",
        "12": "Sumatera Utara",
        "13": "Sumatera Barat",
        "14": "Riau",
        "15": "Jambi",
        "16": "Sumatera Selatan",
        "17": "Bengkulu",
        "18": "Lampung",
        "19": "Kepulauan Bangka Belitung",
        "21": "Kepulauan Riau",
        "31": "DKI Jakarta",
        "32": "Jawa Barat",
        "33": "Jawa Tengah",
        "34": "DI Yogyakarta",
        "35": "Jawa Timur",
        "36": "Banten",
        "51": "Bali",
        "52": "Nusa Tenggara Barat",
        "53": "Nusa Tenggara Timur",
        "61": "Kalimantan Barat",
        "62": "Kalimantan Tengah",
        "63": "Kalimantan Selatan",
        "64": "Kalimantan Timur",
        "65": "Kalimantan Utara",
        "71": "Sulawesi Utara",
        "72": "Sulawesi Tengah",
        "73": "Sulawesi Selatan",
        "74": "Sulawesi Tenggara",
        "75": "Gorontalo",
        "76": "Sulawesi Barat",
        "81": "Maluku",
        "82": "Maluku Utara",
        "91": "Papua",
        "92": "Papua Barat",
        "93": "Papua Selatan",
        "94": "Papua Tengah",
        "95": "Papua Pegunungan",
        "96": "Papua Barat Daya",
    }
)

WOMAN_DAY_OFFSET = 40
NIB_LENGTH = 13
_ACCEPTED_PHONE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)
# Only what people type between digits; letters would otherwise be read as a
# vanity number by phonenumbers and turn into digits silently.
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()./-]+$")


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True, slots=True)
class Nik:
    value: str
    province_code: str
    regency_code: str
    district_code: str
    birth_date: date
    sex: Sex
    serial: str


def validate_nik(raw: str, today: date | None = None) -> Nik:
    """Check a NIK's structure and birth date; `today` decides the century."""
    nik = raw.strip()
    if not nik.isascii() or not nik.isdigit():
        raise DomainValidationError("nik", "NIK must contain digits only")
    if len(nik) != 16:
        raise DomainValidationError("nik", f"NIK must have 16 digits, got {len(nik)}")
    province, regency, district = nik[0:2], nik[2:4], nik[4:6]
    if province not in PROVINCES:
        raise DomainValidationError("nik", "NIK starts with an unknown province code")
    if regency == "00":
        raise DomainValidationError("nik", "NIK regency/city code (digits 3-4) cannot be 00")
    if district == "00":
        raise DomainValidationError("nik", "NIK district code (digits 5-6) cannot be 00")
    if nik[12:] == "0000":
        raise DomainValidationError("nik", "NIK serial number (last 4 digits) cannot be 0000")
    birth_date, sex = _birth_date(nik[6:12], today or date.today())
    return Nik(nik, province, regency, district, birth_date, sex, nik[12:])


def _birth_date(ddmmyy: str, today: date) -> tuple[date, Sex]:
    day, month, yy = int(ddmmyy[0:2]), int(ddmmyy[2:4]), int(ddmmyy[4:6])
    sex = Sex.FEMALE if day > WOMAN_DAY_OFFSET else Sex.MALE
    if sex is Sex.FEMALE:
        day -= WOMAN_DAY_OFFSET
    # Two digits cannot tell 1925 from 2025: take the latest century that does
    # not put the birth in the future.
    year = (today.year // 100) * 100 + yy
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    try:
        return date(year, month, day), sex
    except ValueError:
        raise DomainValidationError(
            "nik", "NIK birth date (digits 7-12, day + 40 for women) is not a real date"
        ) from None


def validate_nib(raw: str) -> str:
    nib = raw.strip()
    if not nib.isascii() or not nib.isdigit() or len(nib) != NIB_LENGTH:
        raise DomainValidationError("nib", f"NIB must be exactly {NIB_LENGTH} digits")
    return nib


def normalise_phone(raw: str) -> str:
    """Return an Indonesian mobile or fixed-line number in E.164 (`+62...`)."""
    text = raw.strip()
    if not _PHONE_CHARS.match(text):
        raise DomainValidationError(
            "phone", "phone may contain only digits, '+', spaces, dashes, dots and parentheses"
        )
    digits = re.sub(r"\D", "", text)
    if digits.startswith("62"):
        # People write the trunk 0 after the country code (`+62 0812...`).
        digits = "62" + digits[2:].lstrip("0")
        text = "+" + digits
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        raise DomainValidationError("phone", "phone is not a phone number") from None
    if number.country_code != 62 or not phonenumbers.is_valid_number(number):
        raise DomainValidationError("phone", "phone is not a valid Indonesian number")
    if phonenumbers.number_type(number) not in _ACCEPTED_PHONE_TYPES:
        raise DomainValidationError("phone", "phone must be an Indonesian mobile or fixed line")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    """Check an address's syntax only: a DNS lookup would make the domain do I/O."""
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise DomainValidationError("email", f"email is not valid: {error}") from None


def mask_nik(nik: str) -> str:
    """Show the region (first 6) and the last 2 digits, enough for an officer to match."""
    if len(nik) <= 8:
        return "*" * len(nik)
    return nik[:6] + "*" * (len(nik) - 8) + nik[-2:]
