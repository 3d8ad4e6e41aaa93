"""The relay drains aggregates in batches: the same few round trips per batch
whatever its size, and nothing lost or published twice at the edges (a writer
appending mid-publish, a publish that fails, a read showing an outbox older
than its version, as the local store sometimes returns under contention, and
another relay publishing an outbox between this one's read and its lease)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from plut_shared.contracts import Envelope

from tests.support.counter_service import CounterService
from tests.support.waiting import eventually

AGGREGATES = 50


class CountingCollection:
    """The collection, with the names of the store commands the relay sent; the
    reads numbered in `torn_reads` show every outbox empty, as an inconsistent
    read does (a `version` newer than the `outbox` beside it)."""

    def __init__(self, collection: Any, torn_reads: tuple[int, ...] = ()) -> None:
        self._collection = collection
        self.name = collection.name
        self.calls: list[str] = []
        self._torn_reads = torn_reads

    def __getattr__(self, method: str) -> Any:
        self.calls.append(method)
        if method == "find" and self.calls.count("find") in self._torn_reads:
            return self._torn_find
        return getattr(self._collection, method)

    def _torn_find(self, *args: Any, **kwargs: Any) -> Any:
        async def documents() -> Any:
            async for document in self._collection.find(*args, **kwargs):
                yield {**document, "outbox": []}

        return documents()


async def _totals(service: CounterService) -> dict[str, list[int]]:
    return {doc["_id"]: doc["seqs"] async for doc in service.db.totals.find({})}


async def _leftovers(service: CounterService) -> list[dict]:
    query = {"$or": [{"outbox": {"$ne": []}}, {"outbox_pending": True}]}
    return [doc async for doc in service.db.counters.find(query)]


async def test_a_batch_costs_the_same_seven_round_trips_whatever_its_size(
    start_service: Callable,
) -> None:
    service: CounterService = await start_service(relay=False)
    ids = [f"batch-{n}" for n in range(AGGREGATES)]
    for aggregate_id in ids:
        await service.increment(aggregate_id, 1)
    counting = CountingCollection(service.counters.collection)

    await service.relay.drain(counting, ids)  # type: ignore[arg-type]

    # Read, lease, read under the lease; remove the published events, read, confirm, clear.
    reads_and_writes = ["find", "bulk_write", "find", "bulk_write", "find", "find", "bulk_write"]
    assert counting.calls == reads_and_writes
    assert service.relay.published == AGGREGATES
    assert await _leftovers(service) == []
    totals = await eventually(lambda: _totals(service), lambda t: len(t) == AGGREGATES)
    assert totals == {aggregate_id: [1] for aggregate_id in ids}


async def test_events_a_writer_appends_mid_publish_stay_and_follow_in_order(
    start_service: Callable,
) -> None:
    service: CounterService = await start_service(relay=False, relay_lease_s=60.0)
    await service.increment("busy", 1)
    await service.increment("calm", 1)
    publish = service.relay._publisher.publish_event

    async def publish_then_write(envelope: Envelope) -> None:
        await publish(envelope)
        if envelope.subject_id == "busy" and envelope.payload["seq"] == 1:
            await service.increment("busy", 2)

    service.relay._publisher.publish_event = publish_then_write  # type: ignore[method-assign]
    await service.relay.drain(service.counters.collection, ["busy", "calm"])

    busy = await service.db.counters.find_one({"_id": "busy"})
    assert [event["payload"]["seq"] for event in busy["outbox"]] == [2]
    assert busy["outbox_pending"] is True
    assert busy["outbox_lease_holder"] == ""  # free for the next round at once
    assert ("counters", "busy") in service.relay._hints
    await service.relay.drain(service.counters.collection, ["busy"])
    totals = await eventually(lambda: _totals(service), lambda t: len(t.get("busy", [])) == 2)
    assert totals == {"busy": [1, 2], "calm": [1]}
    assert await _leftovers(service) == []


async def test_a_failed_publish_frees_its_lease_and_keeps_its_events(
    start_service: Callable,
) -> None:
    # A 60 s lease: had the failing batch kept it, the retry below would find nothing.
    service: CounterService = await start_service(relay=False, relay_lease_s=60.0)
    await service.increment("refused", 1)
    await service.increment("accepted", 1)
    publish = service.relay._publisher.publish_event

    async def refuse_one(envelope: Envelope) -> None:
        if envelope.subject_id == "refused":
            raise ConnectionError("broker went away (simulated)")
        await publish(envelope)

    service.relay._publisher.publish_event = refuse_one  # type: ignore[method-assign]
    try:
        await service.relay.drain(service.counters.collection, ["refused", "accepted"])
    except ConnectionError:
        pass
    else:
        raise AssertionError("the failed publish was not reported")

    refused = await service.db.counters.find_one({"_id": "refused"})
    assert len(refused["outbox"]) == 1 and refused["outbox_lease_holder"] == ""
    assert [doc["_id"] for doc in await _leftovers(service)] == ["refused"]
    service.relay._publisher.publish_event = publish  # type: ignore[method-assign]
    await service.relay.drain(service.counters.collection, ["refused"])
    assert await _leftovers(service) == []
    totals = await eventually(lambda: _totals(service), lambda t: len(t) == 2)
    assert totals == {"refused": [1], "accepted": [1]}


async def test_a_first_read_showing_an_empty_outbox_clears_nothing_and_looks_again(
    start_service: Callable,
) -> None:
    service: CounterService = await start_service(relay=False)
    await service.increment("torn", 1)
    torn = CountingCollection(service.counters.collection, torn_reads=(1,))

    await service.relay.drain(torn, ["torn"])  # type: ignore[arg-type]

    document = await service.db.counters.find_one({"_id": "torn"})
    assert len(document["outbox"]) == 1 and document["outbox_pending"] is True
    assert ("counters", "torn") in service.relay._deferred
    await service.relay.drain(service.counters.collection, ["torn"])
    assert await eventually(lambda: _totals(service), lambda t: "torn" in t) == {"torn": [1]}


async def test_a_read_after_publishing_that_hides_newer_events_loses_none(
    start_service: Callable,
) -> None:
    service: CounterService = await start_service(relay=False)
    await service.increment("busy", 1)
    publish = service.relay._publisher.publish_event

    async def publish_then_write(envelope: Envelope) -> None:
        await publish(envelope)
        if envelope.payload["seq"] == 1:
            await service.increment("busy", 2)

    service.relay._publisher.publish_event = publish_then_write  # type: ignore[method-assign]
    # The read after removing the published event shows no outbox, hiding event 2.
    torn = CountingCollection(service.counters.collection, torn_reads=(3,))
    await service.relay.drain(torn, ["busy"])  # type: ignore[arg-type]

    busy = await service.db.counters.find_one({"_id": "busy"})
    assert [event["payload"]["seq"] for event in busy["outbox"]] == [2]
    assert busy["outbox_pending"] is True
    assert ("counters", "busy") in service.relay._hints
    await service.relay.drain(service.counters.collection, ["busy"])
    totals = await eventually(lambda: _totals(service), lambda t: len(t.get("busy", [])) == 2)
    assert totals == {"busy": [1, 2]}


class OvertakenAfterRead:
    """The collection, whose first read returns what it found only after `overtake`
    ran: another relay publishes those outboxes in between and frees their leases."""

    def __init__(self, collection: Any, overtake: Callable[[], Any]) -> None:
        self._collection = collection
        self.name = collection.name
        self._overtake = overtake
        self._overtaken = False

    def __getattr__(self, method: str) -> Any:
        if method == "find" and not self._overtaken:
            self._overtaken = True
            return self._read_then_overtaken
        return getattr(self._collection, method)

    def _read_then_overtaken(self, *args: Any, **kwargs: Any) -> Any:
        async def documents() -> Any:
            found = [document async for document in self._collection.find(*args, **kwargs)]
            await self._overtake()
            for document in found:
                yield document

        return documents()


async def test_an_outbox_another_relay_published_after_this_ones_read_is_not_published_again(
    start_service: Callable,
) -> None:
    service: CounterService = await start_service(relay=False)
    await service.increment("raced", 1)
    collection = service.counters.collection
    overtaken = OvertakenAfterRead(collection, lambda: service.relay.drain(collection, ["raced"]))

    await service.relay.drain(overtaken, ["raced"])  # type: ignore[arg-type]

    assert service.relay.published == 1  # by the relay that overtook; the lease was free again
    raced = await service.db.counters.find_one({"_id": "raced"})
    assert raced["outbox"] == [] and raced["outbox_lease_holder"] == ""
    await service.increment("raced", 2)  # no lease left behind holds the next event back
    await service.relay.drain(collection, ["raced"])
    totals = await eventually(lambda: _totals(service), lambda t: len(t.get("raced", [])) == 2)
    assert totals == {"raced": [1, 2]}
    assert service.relay.published == 2
