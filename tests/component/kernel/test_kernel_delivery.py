"""The kernel's happy path, duplicates and ordering, against the real broker and store."""

from __future__ import annotations

from plut_shared.messaging.publisher import EventPublisher

from tests.support.counter_service import CounterService, increment_event
from tests.support.waiting import eventually


async def total_of(service: CounterService, counter_id: str) -> dict:
    return await service.db.totals.find_one({"_id": counter_id}) or {}


async def test_an_event_written_with_its_state_reaches_the_consumer_and_leaves_the_outbox(
    service: CounterService,
) -> None:
    await service.increment("c1", 1, amount=5)
    totals = await eventually(lambda: total_of(service, "c1"), lambda d: d.get("total") == 5)
    assert totals["seqs"] == [1]
    counter = await service.db.counters.find_one({"_id": "c1"})
    assert counter["outbox"] == []
    assert counter["outbox_pending"] is False


async def test_the_same_event_delivered_twice_has_one_effect(service: CounterService) -> None:
    envelope = increment_event("dup", 1, amount=7)
    publisher: EventPublisher = service.messaging.publisher
    await publisher.publish_event(envelope)
    await publisher.publish_event(envelope)
    await eventually(lambda: _calls(service), lambda calls: calls >= 2)
    totals = await total_of(service, "dup")
    assert totals["total"] == 7
    assert service.behaviour.applied == [envelope.event_id]


async def _calls(service: CounterService) -> int:
    return service.behaviour.calls


async def test_events_of_one_aggregate_are_applied_in_the_order_they_were_produced(
    service: CounterService,
) -> None:
    for seq in range(1, 51):
        await service.increment("ordered", seq)
    totals = await eventually(lambda: total_of(service, "ordered"), lambda d: d.get("total") == 50)
    assert totals["seqs"] == list(range(1, 51))
