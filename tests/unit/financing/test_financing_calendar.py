"""Partners' SLAs in working days, WIB: weekends and Indonesian holidays (data) do not count."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from financing.domain.calendar import WIB, WorkingCalendar
from financing.domain.rules import load_holidays

CALENDAR = WorkingCalendar(load_holidays())


def test_a_friday_referral_with_two_working_days_is_due_at_the_end_of_tuesday() -> None:
    friday = datetime(2026, 11, 6, 10, 0, tzinfo=WIB)
    assert CALENDAR.answer_due(friday, 2) == datetime(2026, 11, 11, 0, 0, tzinfo=WIB)


def test_the_day_is_the_day_in_wib_not_in_utc() -> None:
    # 20:00 UTC on Sunday is 03:00 WIB on Monday: the SLA counts from Monday.
    sunday_evening_utc = datetime(2026, 11, 8, 20, 0, tzinfo=UTC)
    assert CALENDAR.answer_due(sunday_evening_utc, 1) == datetime(2026, 11, 11, tzinfo=WIB)


def test_idul_fitri_and_its_collective_leave_are_not_working_days() -> None:
    # Tuesday 17 March 2026; 18-24 March are Nyepi, Idul Fitri and cuti bersama.
    before = datetime(2026, 3, 17, 9, 0, tzinfo=WIB)
    assert CALENDAR.answer_due(before, 1) == datetime(2026, 3, 26, tzinfo=WIB)
    assert not CALENDAR.is_working_day(datetime(2026, 3, 23).date())


def test_the_holiday_data_covers_2026_and_2027_and_lists_independence_day() -> None:
    assert CALENDAR.covers(2026) and CALENDAR.covers(2027) and not CALENDAR.covers(2028)
    assert not CALENDAR.is_working_day(datetime(2027, 8, 17).date())  # a Tuesday


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        CALENDAR.answer_due(datetime(2026, 11, 6, 10, 0), 2)
