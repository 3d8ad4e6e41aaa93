"""Hypothesis-generated malformed and hostile deliveries: each is parked or handled, none lost.

The examples are generated first (hypothesis, `max_examples`), then published
to the real queue of the counter test service, because one broker round trip
per example inside hypothesis' loop would not fit the time budget. A failure
lists the kinds of the deliveries that were neither parked nor handled.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from hypothesis import HealthCheck, Phase, given, settings
from plut_shared.messaging.parking import ParkingLot

from tests.support.counter_service import CounterService, increment_event
from tests.support.event_sender import EventSender
from tests.support.hostile_deliveries import HostileDelivery, hostile_deliveries
from tests.support.waiting import eventually

EXAMPLES = 100


def generate(count: int) -> list[HostileDelivery]:
    examples: list[HostileDelivery] = []

    @settings(
        max_examples=count,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(hostile_deliveries())
    def collect(delivery: HostileDelivery) -> None:
        examples.append(delivery)

    collect()
    return examples


async def test_hostile_deliveries_are_parked_or_handled_and_a_valid_event_applies_once(
    start_service: Callable, testkit_url: str, service_urls: dict[str, str]
) -> None:
    service: CounterService = await start_service(max_message_bytes=20_000)
    deliveries = generate(EXAMPLES)
    async with EventSender(service_urls) as sender:
        for delivery in deliveries:
            await sender.publish_raw(
                testkit_url, delivery.body, routing_key=delivery.routing_key, **delivery.properties
            )
        lot = ParkingLot(testkit_url, service.messaging.service)

        async def settled() -> tuple[int, int]:
            return len(await lot.list(limit=10_000)), service.behaviour.completed

        parked, handled = await eventually(
            settled, lambda counts: sum(counts) >= len(deliveries), timeout=60
        )
        assert parked + handled == len(deliveries), Counter(d.kind for d in deliveries)

        final = increment_event("final-after-fuzz", 1, amount=11)
        await sender.publish(final)
        totals = await eventually(
            lambda: service.db.totals.find_one({"_id": "final-after-fuzz"}),
            lambda doc: doc is not None,
        )
    assert totals["total"] == 11
    assert totals["applied_event_ids"] == [final.event_id]
    assert service.behaviour.applied.count(final.event_id) == 1
    assert len(await lot.list(limit=10_000)) == parked
