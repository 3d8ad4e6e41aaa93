"""Time: the centres' time zone and a replaceable clock.

Quiet hours and reminders depend on "now"; passing a `Clock` in keeps the rules
testable at exact edges (20:59, 21:00 WIB) without patching the standard library.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

# Notifications speak in the centres' local time; East Java (and the first centres) use WIB.
JAKARTA = ZoneInfo("Asia/Jakarta")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant as an aware UTC datetime."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, now: datetime) -> None:
        self._now = require_aware(now).astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        self._now = require_aware(now).astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._now += delta


def require_aware(moment: datetime) -> datetime:
    """Reject naive datetimes: guessing their zone is how reminders end up 7 hours off."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware")
    return moment
