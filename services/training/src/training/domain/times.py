"""Time: stored in UTC, shown in WIB, the centres' zone (UTC+7, no daylight saving)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from training.domain.errors import DomainValidationError

WIB = timezone(timedelta(hours=7), "WIB")
MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def utc(field: str, moment: datetime) -> datetime:
    """The instant in UTC; a time without a zone is refused, not guessed (UTC or WIB?)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DomainValidationError(field, "give a time zone, e.g. 2026-06-10T09:00:00+07:00")
    return moment.astimezone(UTC)


def wib(moment: datetime) -> datetime:
    return moment.astimezone(WIB)


def wib_date(moment: datetime) -> date:
    return wib(moment).date()


def days_between(starts_at: datetime, ends_at: datetime) -> list[date]:
    """Every calendar day in WIB that a session from `starts_at` to `ends_at` touches."""
    first, last = wib_date(starts_at), wib_date(ends_at)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def tanggal(day: date) -> str:
    """A date as written in Bahasa Indonesia: `10 Juni 2026`."""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def date_range_id(first: date, last: date) -> str:
    """`10 Juni 2026`, `10-11 Juni 2026`, `30 Juni - 1 Juli 2026`."""
    if first == last:
        return tanggal(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}-{tanggal(last)}"
    if first.year == last.year:
        return f"{first.day} {MONTHS_ID[first.month - 1]} - {tanggal(last)}"
    return f"{tanggal(first)} - {tanggal(last)}"
