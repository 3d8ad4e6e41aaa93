"""The states a referral passes through, and the record of each step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Status(StrEnum):
    SUBMITTED = "submitted"
    FORWARDED = "forwarded"
    ESCALATED = "escalated"  # forwarded, and the partner's SLA has passed
    APPROVED = "approved"
    REJECTED = "rejected"
    DISBURSED = "disbursed"
    WITHDRAWN = "withdrawn"


AWAITING_DECISION = frozenset({Status.FORWARDED, Status.ESCALATED})
OPEN = frozenset({Status.SUBMITTED, Status.FORWARDED, Status.ESCALATED, Status.APPROVED})


@dataclass(frozen=True)
class Step:
    """One change of status: when, by whom (a token subject, `partner:<id>` or `platform`)."""

    status: Status
    at: datetime
    by: str
    reason: str = ""
