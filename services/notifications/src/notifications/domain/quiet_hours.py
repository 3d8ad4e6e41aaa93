"""Quiet hours: no WhatsApp or SMS at night in the owner's time zone.

Owners are small business people whose phone is also their shop's phone; a
buzz at 23:00 about a training course is not welcome. Email is silent, so it
is never held back; urgent rules bypass the window.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from plut_shared.contracts.registration import Channel

from notifications.domain.clock import JAKARTA, require_aware

QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(7, 0)

# Channels that make the phone ring or buzz.
INTRUSIVE_CHANNELS = frozenset({Channel.WHATSAPP, Channel.SMS})


def is_quiet(now_utc: datetime) -> bool:
    local = require_aware(now_utc).astimezone(JAKARTA).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def next_send_time(now_utc: datetime, channel: Channel | str, urgent: bool) -> datetime:
    """`now_utc` if the message may go now, else the next 07:00 WIB, as UTC."""
    now_utc = require_aware(now_utc).astimezone(UTC)
    if urgent or Channel(channel) not in INTRUSIVE_CHANNELS or not is_quiet(now_utc):
        return now_utc
    local = now_utc.astimezone(JAKARTA)
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tzinfo=JAKARTA).astimezone(UTC)
