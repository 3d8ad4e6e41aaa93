"""The SLA timer: referrals whose partner let its answer time pass are escalated.

A `BackgroundLoop` started with the service looks every
`escalation_interval_s` for forwarded referrals whose `answer_due_at`
(working days in WIB, `domain.calendar`) has passed, and escalates each one
through the aggregate store. `Referral.escalate` does it at most once, so two
replicas sweeping at the same time escalate a referral once: the second
writer's compare-and-swap fails, it re-reads, and finds it escalated.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from plut_shared.background import BackgroundLoop
from plut_shared.contracts import new_event_id
from plut_shared.messaging import Aggregates, Cause

from financing.adapters.referral_queries import ReferralQueries
from financing.domain.referral import Referral

BATCH = 200


class EscalationTimer:
    def __init__(
        self,
        referrals: Aggregates[Referral],
        queries: ReferralQueries,
        clock: Callable[[], datetime],
        *,
        interval: float,
    ) -> None:
        self._referrals = referrals
        self._queries = queries
        self._clock = clock
        self._loop = BackgroundLoop(
            "sla-escalation", self._round, interval=interval, retry_pause=interval
        )

    async def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def _round(self) -> float | None:
        await self.escalate_overdue()
        return None

    async def escalate_overdue(self) -> int:
        """Escalate what is overdue now; returns how many were escalated."""
        now = self._clock()
        cause = Cause(new_event_id())  # one sweep, one correlation id for its events
        escalated = 0
        for referral_id in await self._queries.overdue(now, BATCH):
            if await self._referrals.change(referral_id, lambda r: r.escalate(now), cause):
                escalated += 1
        return escalated
