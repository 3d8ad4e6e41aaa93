"""Working days in WIB: weekends and Indonesian public holidays (data) are not counted.

A partner's SLA is counted in working days after the day it received a
referral: forwarded on a Friday with an SLA of 2, the answer is due by the end
of Tuesday (WIB), i.e. at 00:00 WIB on Wednesday. Collective leave (cuti
bersama) counts as a day off: banks' and centres' offices close. For a year the
holiday data does not cover, only weekends are known; `covers` lets the
service warn about it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from financing.domain.rules import HolidayData

WIB = timezone(timedelta(hours=7), "WIB")
SATURDAY = 5


class WorkingCalendar:
    def __init__(self, data: HolidayData) -> None:
        self.version = data.version
        self._days_off = frozenset(day.date for day in data.days)
        self._years = frozenset(data.years)

    def covers(self, year: int) -> bool:
        return year in self._years

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < SATURDAY and day not in self._days_off

    def answer_due(self, received_at: datetime, working_days: int) -> datetime:
        """End (WIB) of the `working_days`-th working day after the day of `received_at`."""
        if received_at.tzinfo is None:
            raise ValueError("received_at must carry a time zone")
        day = received_at.astimezone(WIB).date()
        counted = 0
        while counted < working_days:
            day += timedelta(days=1)
            counted += self.is_working_day(day)
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=WIB)
