"""Shutdown is graceful: in-flight work completes, and its effect happens once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from plut_shared.contracts import Envelope

from tests.support.counter_service import Behaviour, CounterService
from tests.support.waiting import eventually


async def test_a_handler_running_at_shutdown_finishes_and_its_effect_happens_once(
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
    # If the ack did not reach the broker before the channel closed, the message
    # comes back (at least once); the effect must still have happened only once.
    await asyncio.sleep(1.5)
    assert second.behaviour.applied == []
    totals = await second.db.totals.find_one({"_id": "graceful"})
    assert totals["total"] == 3


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
