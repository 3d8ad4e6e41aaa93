"""Errors the training domain raises.

Their messages name fields, rules and ids, never a person's data: they reach
logs and HTTP answers.
"""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused an operation."""


class DomainValidationError(DomainError, ValueError):
    """A value broke a rule; `field` names the input it came from.

    Also a `ValueError`, so a pydantic validator can let it through and pydantic
    reports it as a per-field error.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return self.message


class StateConflict(DomainError):
    """The operation does not fit the current state (a cancelled session, a booked slot)."""


class AlreadyEnrolled(StateConflict):
    """The enterprise already holds an enrolment in this session."""

    def __init__(self, enrollment_id: str, status: str) -> None:
        super().__init__(f"the enterprise is already enrolled ({status}) as {enrollment_id}")
        self.enrollment_id = enrollment_id
        self.status = status


class SlotTaken(StateConflict):
    """Another appointment holds the mentoring slot."""

    def __init__(self, slot_id: str) -> None:
        super().__init__(f"slot {slot_id} is already booked")
        self.slot_id = slot_id
