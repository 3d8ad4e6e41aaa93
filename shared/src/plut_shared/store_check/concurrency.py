"""Checks that need many clients at once: atomic updates and one winner per claim.

Each contender is a client of its own (its own connection), so the store sees
concurrent requests, as it does from several replicas of a service.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from plut_shared.store_check.runner import Outcome, Scratch, connect

CLIENTS = 20
INCREMENTS_PER_CLIENT = 10
ROUNDS = 10


@asynccontextmanager
async def contenders(scratch: Scratch, collection: str) -> AsyncIterator[list[AsyncCollection]]:
    clients = [connect(scratch.url, pool_size=1) for _ in range(CLIENTS)]
    try:
        # Connected before the race starts, so the requests arrive together.
        await asyncio.gather(*(client.admin.command("ping") for client in clients))
        yield [client[scratch.database][collection] for client in clients]
    finally:
        await asyncio.gather(*(client.close() for client in clients))


def winners_figure(winners: list[int]) -> str:
    if all(count == 1 for count in winners):
        return f"1 winner in each of {len(winners)} rounds"
    return f"winners per round {winners} (want 1 each)"


async def atomic_increments(scratch: Scratch) -> Outcome:
    await scratch.collection("counter").insert_one({"_id": "counter", "n": 0})

    async def increment(collection: AsyncCollection) -> None:
        for _ in range(INCREMENTS_PER_CLIENT):
            await collection.update_one({"_id": "counter"}, {"$inc": {"n": 1}})

    async with contenders(scratch, "counter") as collections:
        await asyncio.gather(*(increment(collection) for collection in collections))
    found = await scratch.collection("counter").find_one({"_id": "counter"})
    expected = CLIENTS * INCREMENTS_PER_CLIENT
    kept = found["n"] if found else None
    return Outcome(kept == expected, f"{expected} concurrent $inc from {CLIENTS} clients -> {kept}")


async def conditional_update(scratch: Scratch) -> Outcome:
    """Optimistic concurrency: `update_one` on {_id, version}; only one contender may win."""
    await scratch.collection("claim").insert_one({"_id": "claim", "version": 0})
    winners: list[int] = []
    async with contenders(scratch, "claim") as collections:
        for version in range(ROUNDS):
            results = await asyncio.gather(
                *(
                    collection.update_one(
                        {"_id": "claim", "version": version},
                        {"$inc": {"version": 1}, "$set": {"winner": index}},
                    )
                    for index, collection in enumerate(collections)
                )
            )
            winners.append(sum(result.modified_count for result in results))
    found = await scratch.collection("claim").find_one({"_id": "claim"})
    final = found["version"] if found else None
    passed = all(count == 1 for count in winners) and final == ROUNDS
    figure = f"{CLIENTS} concurrent update_one on {{_id, version}}: {winners_figure(winners)}"
    return Outcome(passed, f"{figure}, final version {final}")


async def claim_rounds(
    scratch: Scratch, collection_name: str, after: bool
) -> tuple[list[int], list[str]]:
    """Rounds of `find_one_and_update` claims; returns winners per round and wrong answers."""
    returned = ReturnDocument.AFTER if after else ReturnDocument.BEFORE
    await scratch.collection(collection_name).insert_one({"_id": "job", "version": 0})
    winners: list[int] = []
    wrong: list[str] = []
    async with contenders(scratch, collection_name) as collections:
        for version in range(ROUNDS):
            answers = await asyncio.gather(
                *(
                    collection.find_one_and_update(
                        {"_id": "job", "version": version},
                        {"$inc": {"version": 1}, "$set": {"owner": index}},
                        return_document=returned,
                    )
                    for index, collection in enumerate(collections)
                )
            )
            won = [(index, doc) for index, doc in enumerate(answers) if doc is not None]
            winners.append(len(won))
            expected_version = version + 1 if after else version
            for index, doc in won:
                if doc["version"] != expected_version or (after and doc.get("owner") != index):
                    wrong.append(f"round {version}: got {doc}")
    return winners, wrong


async def find_one_and_update_claim(scratch: Scratch) -> Outcome:
    winners, wrong = await claim_rounds(scratch, "claim_before", after=False)
    passed = all(count == 1 for count in winners) and not wrong
    figure = f"{CLIENTS} concurrent find_one_and_update on {{_id, version}}: "
    figure += winners_figure(winners) + (f"; wrong document {wrong[0]}" if wrong else "")
    return Outcome(passed, figure)


async def find_one_and_update_after(scratch: Scratch) -> Outcome:
    winners, wrong = await claim_rounds(scratch, "claim_after", after=True)
    passed = all(count == 1 for count in winners) and not wrong
    returned = "winner got the new version and its own owner field" if not wrong else wrong[0]
    return Outcome(passed, f"{winners_figure(winners)}; {returned}")
