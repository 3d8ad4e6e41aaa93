"""When and where a session takes place: UTC times, and a venue or an online link."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from training.domain.errors import DomainValidationError
from training.domain.text import clean_text
from training.domain.times import days_between, utc

MAX_DAYS = 14
MAX_LINK = 190  # with `Daring: ` it fits the events' 200-character place
_LINK = re.compile(r"^https://[^\s/$.?#][^\s]*$")


@dataclass(frozen=True)
class Schedule:
    starts_at: datetime
    ends_at: datetime
    venue: str | None = None
    online_link: str | None = None

    @classmethod
    def of(
        cls,
        starts_at: datetime,
        ends_at: datetime,
        venue: str | None = None,
        online_link: str | None = None,
    ) -> Schedule:
        starts, ends = utc("starts_at", starts_at), utc("ends_at", ends_at)
        if ends <= starts:
            raise DomainValidationError("ends_at", "must be after starts_at")
        if len(days_between(starts, ends)) > MAX_DAYS:
            raise DomainValidationError("ends_at", f"a session spans at most {MAX_DAYS} days")
        venue = clean_text("venue", venue, max_length=200) if venue is not None else None
        if (venue is None) == (online_link is None):
            raise DomainValidationError("venue", "give either a venue or an online_link")
        if online_link is not None and not (
            len(online_link) <= MAX_LINK and _LINK.match(online_link)
        ):
            raise DomainValidationError(
                "online_link", f"an https:// link of at most {MAX_LINK} characters"
            )
        return cls(starts, ends, venue, online_link)

    @property
    def place(self) -> str:
        """What owners read: the venue, or the link of an online ("daring") session."""
        return self.venue if self.venue is not None else f"Daring: {self.online_link}"

    def ensure_future(self, at: datetime) -> None:
        if self.starts_at <= at:
            raise DomainValidationError("starts_at", "must be in the future")

    def moved(self, starts_at: datetime, ends_at: datetime) -> Schedule:
        return Schedule.of(starts_at, ends_at, self.venue, self.online_link)
