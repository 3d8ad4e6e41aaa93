"""Checks on indexes: unique keys refuse duplicates; a compare-and-swap index works."""

from __future__ import annotations

from collections.abc import Awaitable

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from plut_shared.store_check.runner import Outcome, Scratch

DUPLICATE_KEY = 11000


async def refusal(write: Awaitable[object]) -> str:
    """What a write that should break a unique index raised."""
    try:
        await write
    except DuplicateKeyError as error:
        return f"DuplicateKeyError {error.code}"
    return "accepted (no error)"


async def unique_index(scratch: Scratch) -> Outcome:
    collection = scratch.collection("unique")
    await collection.create_index("key", unique=True)
    await collection.insert_many([{"_id": 1, "key": "a"}, {"_id": 2, "key": "b"}])
    on_insert = await refusal(collection.insert_one({"_id": 3, "key": "a"}))
    on_update = await refusal(collection.update_one({"_id": 2}, {"$set": {"key": "a"}}))
    kept = [doc["key"] async for doc in collection.find({}).sort("_id")]
    refused = f"DuplicateKeyError {DUPLICATE_KEY}"
    passed = on_insert == refused and on_update == refused and kept == ["a", "b"]
    return Outcome(passed, f"insert -> {on_insert}, update -> {on_update}, documents then {kept}")


async def version_index(scratch: Scratch) -> Outcome:
    """The hot-path filter {_id, version} with its unique index (README, "Why these parts")."""
    collection = scratch.collection("versioned")
    await collection.create_index([("_id", 1), ("version", 1)], unique=True)
    await collection.insert_one({"_id": "agg", "version": 3, "state": "old"})
    change = {"$set": {"state": "stale"}, "$inc": {"version": 1}}
    stale = await collection.update_one({"_id": "agg", "version": 2}, change)
    stale_claim = await collection.find_one_and_update(
        {"_id": "agg", "version": 2}, change, return_document=ReturnDocument.AFTER
    )
    current = await collection.update_one(
        {"_id": "agg", "version": 3}, {"$set": {"state": "new"}, "$inc": {"version": 1}}
    )
    found = await collection.find_one({"_id": "agg"})
    passed = (
        stale.matched_count == 0
        and stale_claim is None
        and current.modified_count == 1
        and found == {"_id": "agg", "version": 4, "state": "new"}
    )
    figure = (
        f"index created; stale version matched {stale.matched_count} "
        f"(find_one_and_update -> {stale_claim}), current version modified "
        f"{current.modified_count}, document then {found}"
    )
    return Outcome(passed, figure)


async def push_slice(scratch: Scratch) -> Outcome:
    collection = scratch.collection("capped_list")
    await collection.insert_one({"_id": "list", "items": []})
    for batch in ([1, 2, 3, 4], [5, 6, 7, 8]):
        await collection.update_one(
            {"_id": "list"}, {"$push": {"items": {"$each": batch, "$slice": -5}}}
        )
    found = await collection.find_one({"_id": "list"})
    items = found["items"] if found else None
    return Outcome(items == [4, 5, 6, 7, 8], f"pushed 1..8 with $slice -5 -> {items}")
