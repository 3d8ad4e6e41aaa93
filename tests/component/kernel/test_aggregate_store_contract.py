"""The aggregate store's contract, held by the real store and the in-memory fake alike."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from plut_shared.messaging import (
    AggregateExists,
    AggregateStore,
    Cause,
    InMemoryAggregateStore,
)
from pymongo import AsyncMongoClient

from tests.support.counter_service import Counter, CounterMapper, increment_event

CAUSE = Cause("corr-contract")


@pytest.fixture(params=["store", "memory"])
async def counters(
    request: pytest.FixtureRequest, mongo_client: AsyncMongoClient, database_name: str
) -> AsyncIterator[AggregateStore[Counter] | InMemoryAggregateStore[Counter]]:
    if request.param == "memory":
        yield InMemoryAggregateStore(CounterMapper(), producer="testkit")
        return
    store = AggregateStore(
        mongo_client[database_name].counters, CounterMapper(), producer="testkit"
    )
    await store.create_indexes()
    yield store


def new_counter(counter_id: str, amount: int = 1) -> Counter:
    counter = Counter(counter_id)
    counter.increment(1, amount)
    return counter


async def test_an_added_aggregate_is_read_back_with_its_state(counters) -> None:
    written = await counters.add(new_counter("a", amount=4), CAUSE)
    counter = await counters.get("a")
    assert (counter.value, counter.seq) == (4, 1)
    assert [event.event_type for event in written] == ["testkit.counter.incremented"]
    assert written[0].correlation_id == "corr-contract"
    assert written[0].subject_id == "a"


async def test_adding_a_taken_id_raises_aggregate_exists(counters) -> None:
    await counters.add(new_counter("dup"), CAUSE)
    with pytest.raises(AggregateExists):
        await counters.add(new_counter("dup"), CAUSE)


async def test_a_change_saves_state_and_returns_what_the_function_returned(counters) -> None:
    await counters.add(new_counter("c"), CAUSE)

    def bump(counter: Counter) -> int:
        counter.increment(2, 10)
        return counter.value

    result, events = await counters.change_with_events("c", bump, CAUSE)
    assert result == 11
    assert [e.payload["seq"] for e in events] == [2]
    assert (await counters.get("c")).value == 11


async def test_changing_an_unknown_id_returns_none_and_writes_nothing(counters) -> None:
    assert await counters.change("ghost", lambda c: c.increment(2, 1), CAUSE) is None
    assert await counters.get("ghost") is None


async def test_a_change_that_raises_writes_nothing(counters) -> None:
    await counters.add(new_counter("r", amount=3), CAUSE)

    def refuse(counter: Counter) -> None:
        counter.increment(2, 100)
        raise ValueError("a domain rule said no")

    with pytest.raises(ValueError):
        await counters.change("r", refuse, CAUSE)
    assert (await counters.get("r")).value == 3


async def test_a_change_that_changes_nothing_does_not_write(counters) -> None:
    await counters.add(new_counter("same"), CAUSE)
    before = await _version(counters, "same")
    _, events = await counters.change_with_events("same", lambda counter: None, CAUSE)
    assert events == []
    assert await _version(counters, "same") == before


async def test_an_event_is_applied_once_however_often_it_arrives(counters) -> None:
    envelope = increment_event("t", 1, amount=5)

    def apply(counter: Counter) -> None:
        counter.value += 5

    assert await counters.apply_event("t", envelope, apply, create=lambda: Counter("t")) is True
    assert await counters.apply_event("t", envelope, apply, create=lambda: Counter("t")) is False
    assert (await counters.get("t")).value == 5


async def test_an_event_for_an_unknown_aggregate_without_create_changes_nothing(counters) -> None:
    envelope = increment_event("nobody", 1)
    assert await counters.apply_event("nobody", envelope, lambda c: None) is False
    assert await counters.get("nobody") is None


async def test_fifty_concurrent_changes_of_one_aggregate_lose_none(counters) -> None:
    await counters.add(new_counter("hot", amount=0), CAUSE)

    async def one_more(n: int) -> None:
        await counters.change("hot", lambda counter: counter.increment(n + 2, 1), CAUSE)

    await asyncio.gather(*(one_more(n) for n in range(50)))
    assert (await counters.get("hot")).value == 50


async def test_a_mapper_may_not_store_the_kernels_fields(counters) -> None:
    class Leaky(CounterMapper):
        def to_document(self, aggregate: Counter) -> dict:
            return {**super().to_document(aggregate), "version": 7}

    if isinstance(counters, InMemoryAggregateStore):
        leaky = InMemoryAggregateStore(Leaky(), producer="testkit")
    else:
        leaky = AggregateStore(counters.collection, Leaky(), producer="testkit")
    with pytest.raises(ValueError, match="kernel"):
        await leaky.add(new_counter("leak"), CAUSE)


async def _version(counters, aggregate_id: str) -> int:
    if isinstance(counters, InMemoryAggregateStore):
        return counters.versions[aggregate_id]
    document = await counters.collection.find_one({"_id": aggregate_id})
    return document["version"]


def test_a_refusal_by_an_index_led_by_id_means_the_id_is_taken() -> None:
    from plut_shared.messaging.writes import is_id_index

    assert is_id_index("_id_") and is_id_index("_id_1_version_1")
    assert is_id_index("_id_1_outbox_lease_holder_1")
    assert not is_id_index("nik_key_1") and not is_id_index("slot_key_1")
