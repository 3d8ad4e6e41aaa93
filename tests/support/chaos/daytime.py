"""The notifications service for a chaos run, with a clock in daytime WIB.

WhatsApp waits during quiet hours (21:00-07:00 WIB); a chaos run at night
would then count every welcome as "not yet sent". The run gives every process
the same offset (`PLUT_CHAOS_CLOCK_OFFSET_S`), so the clock stays one clock
across the restarts of the service: real time, moved to 08:00 WIB of the day
the run started. Everything else is the service's own factory.

    uvicorn tests.support.chaos.daytime:create_notifications --factory
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, time, timedelta

from fastapi import FastAPI
from notifications import bootstrap
from notifications.domain.clock import JAKARTA

OFFSET_VARIABLE = "PLUT_CHAOS_CLOCK_OFFSET_S"
MORNING = time(8, 0)


def offset_to_morning(now: datetime | None = None) -> float:
    """Seconds to add to real time so that `now` reads 08:00 WIB (a run has 13 h of day)."""
    now = now or datetime.now(UTC)
    local = now.astimezone(JAKARTA)
    morning = datetime.combine(local.date(), MORNING, tzinfo=JAKARTA)
    return (morning - now).total_seconds()


class ShiftedClock:
    def __init__(self, offset_s: float) -> None:
        self._offset = timedelta(seconds=offset_s)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset


def create_notifications() -> FastAPI:
    clock = ShiftedClock(float(os.environ.get(OFFSET_VARIABLE, "0")))
    return bootstrap.create_app(clock=clock)
