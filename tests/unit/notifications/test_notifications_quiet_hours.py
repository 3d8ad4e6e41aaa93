from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from notifications.domain.clock import JAKARTA, FixedClock, SystemClock
from notifications.domain.quiet_hours import next_send_time
from plut_shared.contracts.registration import Channel


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    """A November 2026 instant given in Jakarta time, returned in UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=JAKARTA).astimezone(UTC)


@pytest.mark.parametrize("channel", [Channel.WHATSAPP, Channel.SMS])
@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (wib(10, 20, 59), wib(10, 20, 59)),
        (wib(10, 21, 0), wib(11, 7, 0)),
        (wib(10, 23, 45), wib(11, 7, 0)),
        (wib(11, 0, 0), wib(11, 7, 0)),
        (wib(11, 6, 59), wib(11, 7, 0)),
        (wib(11, 7, 0), wib(11, 7, 0)),
        (wib(11, 12, 0), wib(11, 12, 0)),
    ],
    ids=["20.59", "21.00", "23.45", "00.00", "06.59", "07.00", "12.00"],
)
def test_phone_messages_wait_for_seven_in_the_morning_wib(channel, now, expected):
    assert next_send_time(now, channel, urgent=False) == expected


@pytest.mark.parametrize("channel", [Channel.WHATSAPP, Channel.SMS])
def test_an_urgent_message_goes_out_at_night(channel):
    night = wib(10, 23, 0)
    assert next_send_time(night, channel, urgent=True) == night


def test_email_is_never_held_back():
    night = wib(10, 23, 0)
    assert next_send_time(night, Channel.EMAIL, urgent=False) == night
    assert next_send_time(night, "email", urgent=False) == night


def test_the_answer_is_in_utc():
    assert next_send_time(wib(10, 22, 0), Channel.SMS, urgent=False).tzinfo is UTC


def test_the_morning_after_is_midnight_utc():
    assert next_send_time(wib(10, 22, 0), Channel.SMS, urgent=False) == datetime(
        2026, 11, 11, 0, 0, tzinfo=UTC
    )


def test_a_naive_now_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        next_send_time(datetime(2026, 11, 10, 22, 0), Channel.SMS, urgent=False)


def test_a_fixed_clock_stands_still_until_moved():
    clock = FixedClock(wib(10, 20, 59))
    assert clock.now() == wib(10, 20, 59)
    clock.advance(timedelta(minutes=1))
    assert next_send_time(clock.now(), Channel.WHATSAPP, urgent=False) == wib(11, 7, 0)
    clock.set(wib(11, 7, 0))
    assert clock.now() == wib(11, 7, 0)


def test_the_system_clock_answers_in_utc():
    assert SystemClock().now().tzinfo is UTC
