"""A broker restart in the middle of a stream loses nothing and applies nothing twice."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from tests.support.broker_control import BrokerControl
from tests.support.counter_service import CounterService
from tests.support.waiting import eventually

COUNTERS = 10
PER_COUNTER = 100  # 1,000 events in all


async def produce(service: CounterService, counter_id: str, written: list[int]) -> None:
    for seq in range(1, PER_COUNTER + 1):
        await service.increment(counter_id, seq)
        written.append(seq)
        await asyncio.sleep(0.002)


async def grand_total(service: CounterService) -> int:
    return sum([doc["total"] async for doc in service.db.totals.find({})])


async def test_a_broker_restart_mid_stream_loses_no_event_and_applies_none_twice(
    start_service: Callable, broker_control: BrokerControl
) -> None:
    service: CounterService = await start_service()
    written: list[int] = []
    producers = asyncio.gather(*(produce(service, f"stream-{n}", written) for n in range(COUNTERS)))
    await eventually(lambda: _count(written), lambda n: n >= 300)
    await broker_control.restart()
    await producers

    total = await eventually(
        lambda: grand_total(service), lambda t: t >= COUNTERS * PER_COUNTER, timeout=120
    )
    assert total == COUNTERS * PER_COUNTER
    async for doc in service.db.totals.find({}):
        assert sorted(doc["seqs"]) == list(range(1, PER_COUNTER + 1)), doc["_id"]
    leftover = await service.db.counters.count_documents({"outbox_pending": True})
    assert leftover == 0


async def _count(items: list) -> int:
    return len(items)
