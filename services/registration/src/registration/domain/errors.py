"""Errors the registration domain raises.

They carry no personal data in their messages: they can end up in logs and in
HTTP responses, so they name the field and the rule, never the value.
"""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused an operation."""


class DomainValidationError(DomainError, ValueError):
    """A value broke a rule; `field` names the input it came from.

    It is also a `ValueError`, so a pydantic validator can let it through and
    pydantic reports it as a per-field error.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return self.message


class EnterpriseErased(DomainError):
    """The owner asked for erasure; the record may no longer change."""

    def __init__(self, umkm_id: str) -> None:
        super().__init__(f"enterprise {umkm_id} was erased and can no longer be changed")
        self.umkm_id = umkm_id
