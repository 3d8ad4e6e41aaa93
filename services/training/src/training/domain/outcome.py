"""The short record of what a mentoring appointment achieved.

It stays inside the training service (no event carries it) and is checked
for personal data anyway: officers of the centre read it and report on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from training.domain.consultant import Area
from training.domain.errors import DomainValidationError
from training.domain.text import clean_text, without_personal_data

SUMMARY_MAX = 1000


@dataclass(frozen=True)
class Outcome:
    summary: str
    follow_up_areas: tuple[Area, ...] = ()

    @classmethod
    def of(cls, summary: str, follow_up_areas: list[Area] | None = None) -> Outcome:
        text = clean_text("summary", summary, max_length=SUMMARY_MAX)
        if len(text) < 10:
            raise DomainValidationError("summary", "at least 10 characters")
        areas = tuple(sorted({Area(a) for a in follow_up_areas or []}))
        return cls(without_personal_data("summary", text), areas)
