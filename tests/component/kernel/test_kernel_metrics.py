"""The kernel's metrics move where the thing happens, against the real broker and store.

Published after the confirm, consumed by outcome (applied, duplicate, retried,
parked), parked by reason; the outbox backlog and its oldest event's age as
the relay's sweep finds them; the parking lot's depth as the broker tells it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import aio_pika
from aio_pika.abc import AbstractIncomingMessage
from plut_shared.messaging import relay as relay_module
from plut_shared.metrics.registry import ServiceMetrics

from tests.support.counter_service import EVENT_TYPE, Behaviour, CounterService
from tests.support.event_sender import EventSender
from tests.support.scrape import Scrape
from tests.support.waiting import eventually

CONSUMED = "plut_events_consumed_total"


def scraper(metrics: ServiceMetrics) -> Callable:
    async def scrape() -> Scrape:
        return Scrape(metrics.exposition().decode())

    return scrape


async def test_events_are_counted_published_applied_duplicate_retried_and_parked(
    start_service: Callable, service_urls: dict[str, str]
) -> None:
    metrics = ServiceMetrics()
    scrape = scraper(metrics)
    behaviour = Behaviour(failures_left=2)  # the first event fails both immediate attempts
    service: CounterService = await start_service(behaviour, metrics=metrics.kernel)

    first = await service.increment("c1", 1, amount=2)  # retried once, then applied
    await service.increment("c2", 1, amount=-1)  # invalid: parked at once
    await eventually(scrape, lambda s: s.value(CONSUMED, outcome="applied") == 1)
    async with EventSender(service_urls) as sender:
        await sender.publish(first)  # a redelivery of an event already applied
    found = await eventually(scrape, lambda s: s.value(CONSUMED, outcome="duplicate") == 1)

    assert found.value("plut_events_published_total", event_type=EVENT_TYPE) == 2
    assert found.value(CONSUMED, event_type=EVENT_TYPE, outcome="retried") == 1
    assert found.value(CONSUMED, event_type=EVENT_TYPE, outcome="parked") == 1
    assert found.value(CONSUMED, event_type=EVENT_TYPE, outcome="applied") == 1
    assert found.value("plut_events_parked_total", event_type=EVENT_TYPE, reason="invalid") == 1
    assert await service.db.totals.count_documents({}) == 1  # the duplicate changed nothing


async def test_the_sweep_reports_the_outbox_backlog_and_its_oldest_event(
    start_service: Callable,
) -> None:
    metrics = ServiceMetrics()
    service: CounterService = await start_service(metrics=metrics.kernel)
    await service.relay.stop()  # this test sweeps by hand
    await _write_unpublished(service, ("a", "b", "c"), age=timedelta(hours=1))

    await service.relay.sweep()
    found = Scrape(metrics.exposition().decode())
    assert found.value("plut_outbox_backlog", collection="counters") == 3
    assert found.value("plut_outbox_oldest_pending_age_seconds", collection="counters") >= 3600

    await service.relay.sweep()  # the first sweep published them all
    found = Scrape(metrics.exposition().decode())
    assert found.value("plut_outbox_backlog", collection="counters") == 0
    assert found.value("plut_outbox_oldest_pending_age_seconds", collection="counters") == 0


async def test_a_backlog_larger_than_a_sweep_batch_is_counted_whole(
    start_service: Callable, monkeypatch
) -> None:
    metrics = ServiceMetrics()
    service: CounterService = await start_service(metrics=metrics.kernel)
    await service.relay.stop()
    await _write_unpublished(service, ("a", "b", "c", "d", "e"), age=timedelta(minutes=5))
    monkeypatch.setattr(relay_module, "SWEEP_BATCH", 2)

    await service.relay.sweep()
    found = Scrape(metrics.exposition().decode())
    assert found.value("plut_outbox_backlog", collection="counters") == 5


async def _write_unpublished(
    service: CounterService, counter_ids: tuple[str, ...], age: timedelta
) -> None:
    """Counters whose events are still in their outboxes, as a crash would leave them."""
    occurred = (datetime.now(UTC) - age).isoformat()
    for counter_id in counter_ids:
        await service.increment(counter_id, 1)
        document = await service.db.counters.find_one({"_id": counter_id})
        outbox = [{**event, "occurred_at": occurred} for event in document["outbox"]]
        await service.db.counters.update_one({"_id": counter_id}, {"$set": {"outbox": outbox}})


async def test_the_parking_lot_depth_counts_what_the_broker_dead_lettered_too(
    start_service: Callable, amqp_url: str
) -> None:
    metrics = ServiceMetrics()
    scrape = scraper(metrics)
    service: CounterService = await start_service(
        metrics=metrics.kernel, delivery_limit=2, parking_watch_interval_s=0.1
    )
    await eventually(scrape, lambda s: s.value("plut_parked_messages") == 0)
    for intake in service.messaging.intakes:
        await intake.stop()  # the service consumes no more; the watch goes on
    [queue_name] = [intake.queue_name for intake in service.messaging.intakes]

    # A delivery handed back unsettled over and over, as by a process that dies on it.
    returns: list[int] = []

    async def hand_back(delivery: AbstractIncomingMessage) -> None:
        returns.append(1)
        await delivery.nack(requeue=True)

    async with await aio_pika.connect(amqp_url) as connection:
        channel = await connection.channel()
        await channel.default_exchange.publish(aio_pika.Message(b"{}"), routing_key=queue_name)
        queue = await channel.get_queue(queue_name, ensure=False)
        await queue.consume(hand_back)
        found = await eventually(scrape, lambda s: s.value("plut_parked_messages") == 1)

    assert len(returns) == 3  # delivered three times: past the limit of 2, the broker parked it
    assert found.value("plut_events_parked_total") == 0  # no code of the service saw it
