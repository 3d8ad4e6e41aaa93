"""Shutdown is graceful: in-flight work completes and is acknowledged, once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from plut_shared.contracts import Envelope

from tests.support.counter_service import Behaviour, CounterService
from tests.support.waiting import eventually


async def test_a_handler_running_at_shutdown_finishes_and_its_message_is_not_redelivered(
    start_service: Callable,
) -> None:
    started = asyncio.Event()

    async def slow(envelope: Envelope) -> None:
        started.set()
        await asyncio.sleep(1.0)

    first: CounterService = await start_service(Behaviour(before_effect=slow))
    await first.increment("graceful", 1, amount=3)
    await asyncio.wait_for(started.wait(), timeout=20)
    await first.stop()  # while the handler sleeps

    second: CounterService = await start_service()
    totals = await second.db.totals.find_one({"_id": "graceful"})
    assert totals is not None and totals["total"] == 3
    await asyncio.sleep(1.5)  # a redelivery, if the message had not been acked, arrives now
    assert second.behaviour.calls == 0


async def test_events_written_just_before_shutdown_are_published_by_the_next_start(
    start_service: Callable,
) -> None:
    first: CounterService = await start_service()
    await first.relay.stop()  # the relay is gone: the event stays in the outbox
    await first.increment("later", 1, amount=2)
    await first.stop()

    second: CounterService = await start_service()
    totals = await eventually(
        lambda: second.db.totals.find_one({"_id": "later"}), lambda doc: doc is not None
    )
    assert totals["total"] == 2
