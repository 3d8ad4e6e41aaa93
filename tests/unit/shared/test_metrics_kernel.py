"""Kernel metrics: bounded labels, the duplicate mark of a delivery, the outbox's oldest age."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from plut_shared.metrics.backlog import oldest_age_s
from plut_shared.metrics.deliveries import begin_attempt, note_repeat
from plut_shared.metrics.registry import ServiceMetrics

from tests.support.scrape import Scrape

REGISTERED = "registration.umkm.registered"


def scrape(metrics: ServiceMetrics) -> Scrape:
    return Scrape(metrics.exposition().decode())


def test_a_forged_event_type_and_an_unknown_reason_do_not_become_labels() -> None:
    metrics = ServiceMetrics()
    metrics.kernel.parked("registration.umkm.registered'; NIK 3507114101900001", "whatever")
    metrics.kernel.parked(None, "invalid")
    metrics.kernel.parked(REGISTERED, "retries-exhausted")
    found = scrape(metrics)
    assert found.value("plut_events_parked_total", event_type="unknown", reason="other") == 1
    assert found.value("plut_events_parked_total", event_type="unknown", reason="invalid") == 1
    assert found.value("plut_events_parked_total", event_type=REGISTERED) == 1
    assert found.value("plut_events_consumed_total", event_type="unknown", outcome="parked") == 2
    assert "3507114101900001" not in found.text


async def test_a_delivery_whose_event_was_applied_before_counts_as_a_duplicate() -> None:
    metrics = ServiceMetrics()

    async def deliver(repeated: bool) -> None:
        begin_attempt()
        if repeated:
            note_repeat()  # what the aggregate store does on finding the event id
        metrics.kernel.handled(REGISTERED)

    # Each delivery runs in its own task, as aio-pika runs them.
    await asyncio.gather(deliver(False), deliver(True), deliver(False))
    found = scrape(metrics)
    assert found.value("plut_events_consumed_total", outcome="applied") == 2
    assert found.value("plut_events_consumed_total", outcome="duplicate") == 1


async def test_a_repeat_seen_by_an_earlier_attempt_does_not_mark_the_retry() -> None:
    metrics = ServiceMetrics()
    begin_attempt()
    note_repeat()
    begin_attempt()  # the retry starts afresh
    metrics.kernel.handled(REGISTERED)
    assert scrape(metrics).value("plut_events_consumed_total", outcome="applied") == 1


async def test_a_repeat_noted_outside_a_delivery_marks_no_later_delivery() -> None:
    metrics = ServiceMetrics()

    async def command() -> None:
        note_repeat()  # a command's own write, no delivery: nothing to mark

    async def delivery() -> None:
        begin_attempt()
        metrics.kernel.handled(REGISTERED)

    await asyncio.create_task(command())
    await asyncio.create_task(delivery())
    assert scrape(metrics).value("plut_events_consumed_total", outcome="duplicate") == 0
    assert scrape(metrics).value("plut_events_consumed_total", outcome="applied") == 1


def test_the_oldest_pending_age_comes_from_the_earliest_event_of_any_outbox() -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    pending = [
        {"_id": "a", "outbox": [{"occurred_at": (now - timedelta(seconds=30)).isoformat()}]},
        {"_id": "b", "outbox": [{"occurred_at": "2026-03-01T11:58:00Z"}, {"occurred_at": None}]},
        {"_id": "c", "outbox": []},  # flagged, emptied by a relay that died before clearing
        {"_id": "d", "outbox": [{"occurred_at": "not a time"}]},
    ]
    assert oldest_age_s(pending, now) == 120.0
    assert oldest_age_s([{"_id": "c", "outbox": []}], now) == 0.0
    assert oldest_age_s([], now) == 0.0
