"""Outbox backlog and the age of its oldest event, from what the relay's sweep read anyway.

The sweep reads the pending aggregates of each collection (at most a batch)
every `relay_sweep_interval_s`; reading with `PENDING_FIELDS` also brings each
pending event's `occurred_at`, so the gauges cost no extra query in the usual
case. Only when the batch came back full (a backlog that large is an incident)
is the backlog counted: on MongoDB through the `outbox_pending` index. A write
never scans, and a scrape only reads the gauges (README, "Operators: metrics").
The age is the oldest among the aggregates the sweep read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from plut_shared.messaging.outbox import OUTBOX, OUTBOX_PENDING
from plut_shared.metrics.kernel import KernelMetrics

# What the sweep reads of each pending aggregate: its id, and when its events occurred.
PENDING_FIELDS = {"_id": 1, f"{OUTBOX}.occurred_at": 1}


async def observe_outbox(
    metrics: KernelMetrics,
    collection: AsyncCollection,
    pending: Sequence[Mapping[str, Any]],
    batch: int,
) -> None:
    backlog = len(pending)
    if backlog >= batch:
        backlog = await collection.count_documents({OUTBOX_PENDING: True})
    metrics.outbox(collection.name, backlog, oldest_age_s(pending, datetime.now(UTC)))


def oldest_age_s(pending: Sequence[Mapping[str, Any]], now: datetime) -> float:
    """Seconds since the oldest `occurred_at` in these outboxes; 0 when there is none."""
    times = [
        _instant(event.get("occurred_at"))
        for document in pending
        for event in document.get(OUTBOX) or ()
        if isinstance(event, Mapping)
    ]
    known = [time for time in times if time is not None]
    return max(0.0, (now - min(known)).total_seconds()) if known else 0.0


def _instant(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None
