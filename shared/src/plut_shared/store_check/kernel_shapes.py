"""Checks on the request shapes the messaging kernel sends (README, "Store conformance check")."""

from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument, UpdateOne
from pymongo.errors import BulkWriteError

from plut_shared.store_check.indexes import DUPLICATE_KEY
from plut_shared.store_check.runner import Outcome, Scratch

SHAPES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    # (shape, filter that matches, filter that must match nothing)
    ("{_id}", {"_id": "doc"}, {"_id": "other"}),
    ("{_id, version}", {"_id": "doc", "version": 1}, {"_id": "doc", "version": 0}),
    ("{_id, holder}", {"_id": "doc", "holder": "relay-a"}, {"_id": "doc", "holder": "relay-b"}),
]


async def filter_shapes(scratch: Scratch) -> Outcome:
    collection = scratch.collection("shapes")
    await collection.insert_one({"_id": "doc", "version": 1, "holder": "relay-a", "hits": 0})
    wrong: list[str] = []
    for shape, matching, stale in SHAPES:
        hit = await collection.update_one(matching, {"$inc": {"hits": 1}})
        miss = await collection.update_one(stale, {"$inc": {"hits": 100}})
        claimed = await collection.find_one_and_update(
            matching, {"$inc": {"hits": 1}}, return_document=ReturnDocument.AFTER
        )
        missed = await collection.find_one_and_update(stale, {"$inc": {"hits": 100}})
        if hit.modified_count != 1 or miss.matched_count != 0:
            wrong.append(f"update_one {shape}")
        if claimed is None or missed is not None:
            wrong.append(f"find_one_and_update {shape}")
    found = await collection.find_one({"_id": "doc"})
    hits = found["hits"] if found else None
    passed = not wrong and hits == 2 * len(SHAPES)
    shapes = ", ".join(shape for shape, _, _ in SHAPES)
    verdict = f"wrong: {', '.join(wrong)}" if wrong else "each matched once, stale filters none"
    return Outcome(passed, f"update_one and find_one_and_update on {shapes}: {verdict}")


OPERATORS: list[tuple[str, dict[str, Any], str, object]] = [
    # (operator, update, field, value the field must have afterwards; None: absent)
    ("$set", {"$set": {"state": "open"}}, "state", "open"),
    ("$unset", {"$unset": {"gone": ""}}, "gone", None),
    ("$inc", {"$inc": {"count": 2}}, "count", 3),
    ("$push", {"$push": {"events": {"id": "e2"}}}, "events", [{"id": "e1"}, {"id": "e2"}]),
    ("$addToSet", {"$addToSet": {"applied": {"$each": ["a", "b"]}}}, "applied", ["a", "b"]),
    ("$pull", {"$pull": {"pending": "p1"}}, "pending", ["p2"]),
]


async def update_operators(scratch: Scratch) -> Outcome:
    collection = scratch.collection("operators")
    await collection.insert_one(
        {
            "_id": "doc",
            "gone": "x",
            "count": 1,
            "events": [{"id": "e1"}],
            "applied": ["a"],
            "pending": ["p1", "p2", "p1"],
        }
    )
    wrong: list[str] = []
    for operator, update, field, expected in OPERATORS:
        await collection.update_one({"_id": "doc"}, update)
        found = await collection.find_one({"_id": "doc"}) or {}
        if found.get(field) != expected or (expected is None and field in found):
            wrong.append(f"{operator} gave {field}={found.get(field)!r}")
    names = ", ".join(operator for operator, *_ in OPERATORS)
    verdict = "; ".join(wrong) if wrong else "each gave the expected document"
    return Outcome(not wrong, f"{names}: {verdict}")


async def unordered_inserts(scratch: Scratch) -> Outcome:
    collection = scratch.collection("bulk_insert")
    await collection.insert_one({"_id": 1})
    batch = [{"_id": 0}, {"_id": 1}, {"_id": 2}, {"_id": 2}, {"_id": 3}]
    try:
        await collection.insert_many(batch, ordered=False)
    except BulkWriteError as error:
        details = error.details
    else:
        return Outcome(False, "insert_many with duplicates raised no BulkWriteError")
    errors = [(entry["index"], entry["code"]) for entry in details.get("writeErrors", [])]
    stored = [doc["_id"] async for doc in collection.find({}).sort("_id")]
    # nInserted is not checked: the local store counts the refused documents too
    # (5 here, MongoDB says 3); the platform does not read it.
    passed = errors == [(1, DUPLICATE_KEY), (3, DUPLICATE_KEY)] and stored == [0, 1, 2, 3]
    figure = (
        f"5 documents, 2 duplicates -> BulkWriteError (index, code) {errors}, "
        f"stored ids {stored} (nInserted reported: {details.get('nInserted')})"
    )
    return Outcome(passed, figure)


async def bulk_updates(scratch: Scratch) -> Outcome:
    collection = scratch.collection("bulk_update")
    await collection.insert_many([{"_id": name, "version": 1} for name in ("a", "b", "c")])
    change = {"$inc": {"version": 1}}
    result = await collection.bulk_write(
        [
            UpdateOne({"_id": "a", "version": 1}, change),
            UpdateOne({"_id": "b", "version": 0}, change),  # stale: matches nothing
            UpdateOne({"_id": "c"}, change),
            UpdateOne({"_id": "d"}, {"$set": {"version": 1}}, upsert=True),
        ],
        ordered=False,
    )
    versions = {doc["_id"]: doc["version"] async for doc in collection.find({})}
    counts = (result.matched_count, result.modified_count, result.upserted_count)
    passed = counts == (2, 2, 1) and versions == {"a": 2, "b": 1, "c": 2, "d": 1}
    figure = (
        f"4 UpdateOne (1 stale, 1 upsert) -> matched {result.matched_count}, "
        f"modified {result.modified_count}, upserted {result.upserted_count}, versions {versions}"
    )
    return Outcome(passed, figure)
