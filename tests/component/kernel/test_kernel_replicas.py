"""Two processes of one service on one store and one queue: nothing lost, nothing twice."""

from __future__ import annotations

import asyncio
import signal

from plut_shared.messaging import AggregateStore, Cause
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from tests.support.counter_service import Counter, CounterMapper
from tests.support.crash_child import spawn
from tests.support.waiting import eventually

COUNTERS = [f"shared-{n}" for n in range(20)]
WRITES_PER_REPLICA = 995  # with the 20 creations: 2,010 events


async def start_replica(
    amqp_url: str,
    user_prefix: str,
    mongo_url: str,
    service: str,
    database: str,
    writes: int = WRITES_PER_REPLICA,
    counters: list[str] = COUNTERS,
) -> asyncio.subprocess.Process:
    args = ("replica", service, database, str(writes), *counters)
    return await spawn(amqp_url, user_prefix, mongo_url, *args)


async def finished(child: asyncio.subprocess.Process) -> None:
    assert child.stdout is not None
    assert (await asyncio.wait_for(child.stdout.readline(), timeout=240)).strip() == b"DONE"


async def create_counters(db: AsyncDatabase, counter_ids: list[str]) -> AggregateStore[Counter]:
    """Counters written straight to the store; the replicas' relays find their events."""
    counters = AggregateStore(db.counters, CounterMapper(), producer="testkit")
    await counters.create_indexes()
    for counter_id in counter_ids:
        counter = Counter(counter_id)
        counter.bump()
        await counters.add(counter, Cause("corr-replica"))
    return counters


async def test_two_replicas_writing_relaying_and_consuming_lose_and_repeat_nothing(
    mongo_client: AsyncMongoClient,
    testkit_url: str,
    broker_user_prefix: str,
    infra,
    database_name: str,
    unique_id: str,
) -> None:
    db = mongo_client[database_name]
    await create_counters(db, COUNTERS)

    name = f"kernel-{unique_id}"
    replicas = [
        await start_replica(testkit_url, broker_user_prefix, infra.mongo_url, name, database_name)
        for _ in range(2)
    ]
    try:
        await asyncio.gather(*(finished(child) for child in replicas))
        expected_total = len(COUNTERS) + 2 * WRITES_PER_REPLICA

        async def applied() -> int:
            return sum([len(doc["seqs"]) async for doc in db.totals.find({})])

        await eventually(applied, lambda count: count >= expected_total, timeout=240)
        await asyncio.sleep(1)  # room for a late duplicate to show up, if there were one
        counters = {doc["_id"]: doc async for doc in db.counters.find({})}
        totals = {doc["_id"]: doc async for doc in db.totals.find({})}
    finally:
        for child in replicas:
            child.send_signal(signal.SIGTERM)
        await asyncio.gather(*(child.wait() for child in replicas))

    detail = {
        counter_id: (doc["value"], doc["seq"], len(totals[counter_id]["seqs"]))
        for counter_id, doc in counters.items()
        if doc["value"] != len(totals[counter_id]["seqs"])
    }
    # No write lost: every bump is in its counter's state and applied once.
    assert sum(doc["value"] for doc in counters.values()) == expected_total, detail
    for counter_id, counter in counters.items():
        # Every event applied once, in the order its aggregate produced it.
        assert totals[counter_id]["seqs"] == list(range(1, counter["seq"] + 1))
        assert totals[counter_id]["total"] == counter["value"]
        assert counter["outbox"] == []


async def test_fifty_concurrent_changes_from_two_processes_lose_none(
    mongo_client: AsyncMongoClient,
    testkit_url: str,
    broker_user_prefix: str,
    infra,
    database_name: str,
    unique_id: str,
) -> None:
    counters = await create_counters(mongo_client[database_name], ["contended"])
    name = f"kernel-{unique_id}"
    replicas = [
        await start_replica(
            testkit_url, broker_user_prefix, infra.mongo_url, name, database_name, 25, ["contended"]
        )
        for _ in range(2)
    ]
    try:
        await asyncio.gather(*(finished(child) for child in replicas))
    finally:
        for child in replicas:
            child.send_signal(signal.SIGTERM)
        await asyncio.gather(*(child.wait() for child in replicas))
    stored = await counters.get("contended")
    assert stored is not None and (stored.value, stored.seq) == (51, 51)
