"""Processes killed with SIGKILL lose nothing and apply nothing twice."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from faststream.rabbit import RabbitBroker
from plut_shared.contracts import Envelope
from plut_shared.messaging import EventPublisher
from plut_shared.messaging.trust import user_of

from tests.support.counter_service import CounterService, increment_event
from tests.support.crash_child import spawn
from tests.support.waiting import eventually


async def test_an_event_written_before_a_sigkill_is_published_once_after_restart(
    start_service: Callable,
    testkit_url: str,
    broker_user_prefix: str,
    infra,
    database_name: str,
    unique_id: str,
) -> None:
    name = f"kernel-{unique_id}"
    child = await spawn(
        testkit_url,
        broker_user_prefix,
        infra.mongo_url,
        "hang-before-publish",
        name,
        database_name,
        "k1",
    )
    child.kill()
    await child.wait()

    restarted: CounterService = await start_service()
    # The dead process's lease on the document expires (1 s here), then a sweep publishes.
    totals = await eventually(
        lambda: restarted.db.totals.find_one({"_id": "k1"}), lambda doc: doc is not None
    )
    assert totals["total"] == 9
    await asyncio.sleep(1)  # room for a duplicate publish to show up, if there were one
    counter = await restarted.db.counters.find_one({"_id": "k1"})
    assert counter["outbox"] == []
    assert len(restarted.behaviour.applied) == 1
    assert restarted.behaviour.calls == 1


async def test_an_event_redelivered_after_a_crash_before_ack_changes_nothing(
    start_service: Callable,
    testkit_url: str,
    broker_user_prefix: str,
    infra,
    database_name: str,
    unique_id: str,
) -> None:
    name = f"kernel-{unique_id}"
    child = await spawn(
        testkit_url, broker_user_prefix, infra.mongo_url, "die-after-effect", name, database_name
    )
    envelope = increment_event("k2", 1, amount=6)
    await publish_once(testkit_url, name, envelope)
    assert await asyncio.wait_for(child.wait(), timeout=30) == -9

    survivor: CounterService = await start_service()
    await eventually(lambda: _calls(survivor), lambda calls: calls >= 1)
    totals = await survivor.db.totals.find_one({"_id": "k2"})
    assert totals["total"] == 6
    assert totals["applied_event_ids"] == [envelope.event_id]
    assert survivor.behaviour.applied == []  # the redelivery found the effect already applied


async def publish_once(amqp_url: str, service: str, envelope: Envelope) -> None:
    broker = RabbitBroker(amqp_url)
    await broker.connect()
    try:
        publisher = EventPublisher(
            broker, user_id=user_of(amqp_url), internal_exchange=f"{service}.internal"
        )
        await publisher.publish_event(envelope)
    finally:
        await broker.stop()


async def _calls(service: CounterService) -> int:
    return service.behaviour.calls


async def test_a_pending_flag_left_without_events_is_cleared_by_the_sweep(
    service: CounterService,
) -> None:
    # As if a relay died after emptying the outbox and before clearing the flag.
    await service.increment("flagged", 1, amount=1)
    await eventually(
        lambda: service.db.counters.find_one({"_id": "flagged"}),
        lambda doc: doc is not None and doc["outbox"] == [] and not doc["outbox_pending"],
    )
    await service.db.counters.update_one({"_id": "flagged"}, {"$set": {"outbox_pending": True}})
    await service.relay.sweep()
    doc = await service.db.counters.find_one({"_id": "flagged"})
    assert doc["outbox_pending"] is False
