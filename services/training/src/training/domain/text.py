"""Free text officers type: trimmed, bounded, and (where it may travel) free of personal data."""

from __future__ import annotations

import re

from plut_shared.contracts.text import hidden_character_problem, is_blank

from training.domain.errors import DomainValidationError

# Eight or more digits, possibly split by spaces, dots or dashes: a phone number, NIK or NIB.
_LONG_NUMBER = re.compile(r"(?:\d[\s.\-]?){8,}")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_PHONE_PREFIX = re.compile(r"(?:\+62|\b62|\b08)\d")


def clean_text(field: str, raw: str, *, max_length: int, required: bool = True) -> str:
    """Whitespace collapsed, nothing hidden (the platform's text rules), bounded."""
    problem = hidden_character_problem(raw, allow_line_breaks=True)
    if problem is not None:
        raise DomainValidationError(field, problem)
    text = " ".join(raw.split())
    if required and is_blank(text):
        raise DomainValidationError(field, "must show some text, not only spaces")
    if len(text) > max_length:
        raise DomainValidationError(field, f"at most {max_length} characters")
    return text


def without_personal_data(field: str, text: str) -> str:
    """Refuse text that carries a phone number, NIK, NIB or email address.

    Such notes are read by other officers and may be reported on; the owner's
    contact details already live in the registration service, once.
    """
    if _EMAIL.search(text):
        raise DomainValidationError(field, "must not contain an email address")
    if _LONG_NUMBER.search(text) or _PHONE_PREFIX.search(text):
        raise DomainValidationError(
            field, "must not contain phone numbers, NIK or NIB (no runs of 8 or more digits)"
        )
    return text
