"""Poison messages, transient failures, retries and the parking lot."""

from __future__ import annotations

from collections.abc import Callable

from plut_shared.messaging import headers as h
from plut_shared.messaging.parking import ParkingLot

from tests.support.counter_service import Behaviour, CounterService
from tests.support.waiting import eventually


async def parked(lot: ParkingLot) -> list:
    return await lot.list()


async def test_an_invalid_message_is_parked_at_once_with_its_reason(
    start_service: Callable, testkit_url: str
) -> None:
    service: CounterService = await start_service()
    await service.increment("bad", 1, amount=-3)
    lot = ParkingLot(testkit_url, service.messaging.service)
    [message] = await eventually(lambda: parked(lot), lambda items: len(items) == 1)
    assert message.reason == "invalid"
    assert message.error_type == "InvalidMessage"
    assert message.error_message == "amount must not be negative"
    assert message.event_type == "testkit.counter.incremented"
    assert message.original_queue == f"{service.messaging.service}.counters"
    assert service.behaviour.calls == 1
    assert await service.db.totals.find_one({"_id": "bad"}) is None


async def test_a_message_that_keeps_failing_is_parked_after_every_retry_and_replays(
    start_service: Callable, testkit_url: str
) -> None:
    behaviour = Behaviour(always_fail=True)
    service: CounterService = await start_service(behaviour)
    envelope = await service.increment("flaky", 1, amount=4)
    lot = ParkingLot(testkit_url, service.messaging.service)
    [message] = await eventually(lambda: parked(lot), lambda items: len(items) == 1)
    # 2 immediate attempts, in each of: first delivery + 2 delayed tiers.
    assert behaviour.calls == 6
    assert message.reason == "retries-exhausted"
    assert message.attempts == 6
    assert message.error_type == "ConnectionError"
    assert message.headers[h.ORIGINAL_ROUTING_KEY] == "testkit.counter.incremented"
    assert message.headers[h.FIRST_FAILURE_AT]
    assert message.message_id == envelope.event_id

    behaviour.always_fail = False
    assert await lot.replay(envelope.event_id) is True
    totals = await eventually(
        lambda: service.db.totals.find_one({"_id": "flaky"}), lambda doc: doc is not None
    )
    assert totals["total"] == 4
    assert await lot.list() == []


async def test_a_transient_failure_recovers_through_a_delayed_retry(
    start_service: Callable, testkit_url: str
) -> None:
    behaviour = Behaviour(failures_left=3)
    service: CounterService = await start_service(behaviour)
    await service.increment("recovering", 1, amount=2)
    totals = await eventually(
        lambda: service.db.totals.find_one({"_id": "recovering"}), lambda doc: doc is not None
    )
    assert totals["total"] == 2
    assert behaviour.calls == 4
    assert await ParkingLot(testkit_url, service.messaging.service).list() == []


async def test_purging_the_parking_lot_removes_only_the_named_message(
    start_service: Callable, testkit_url: str
) -> None:
    service: CounterService = await start_service()
    first = await service.increment("p1", 1, amount=-1)
    await service.increment("p2", 1, amount=-1)
    lot = ParkingLot(testkit_url, service.messaging.service)
    await eventually(lambda: parked(lot), lambda items: len(items) == 2)
    assert await lot.purge(first.event_id) == 1
    [left] = await lot.list()
    assert left.message_id != first.event_id
    assert (await lot.inspect(left.message_id)) is not None
