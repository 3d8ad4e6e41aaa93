"""Data kept across a graceful restart, in two steps around a restart the operator does.

The marker lives in its own database (not a scratch one), since it must outlive
the check's process; verifying it drops it.
"""

from __future__ import annotations

import uuid

from plut_shared.store_check.runner import Outcome, connect, ping

MARKER_DATABASE = "plut_store_check_restart"
MARKER_DOCUMENTS = 1000
PAYLOAD = "x" * 200


async def write_marker(url: str, count: int = MARKER_DOCUMENTS) -> Outcome:
    client = connect(url)
    try:
        await ping(client, url)
        await client.drop_database(MARKER_DATABASE)
        database = client[MARKER_DATABASE]
        token = uuid.uuid4().hex
        await database.documents.insert_many(
            [{"_id": number, "token": token, "payload": PAYLOAD} for number in range(count)]
        )
        # Written last: a store that keeps it but not all documents is caught by the count.
        await database.summary.insert_one({"_id": "marker", "token": token, "count": count})
        return Outcome(True, f"wrote {count} documents to {MARKER_DATABASE}")
    finally:
        await client.close()


async def verify_marker(url: str) -> Outcome:
    client = connect(url)
    try:
        await ping(client, url)
        database = client[MARKER_DATABASE]
        summary = await database.summary.find_one({"_id": "marker"})
        if summary is None:
            return Outcome(False, f"no marker in {MARKER_DATABASE}: write it first")
        token, count = summary["token"], summary["count"]
        kept = await database.documents.count_documents({"token": token, "payload": PAYLOAD})
        await client.drop_database(MARKER_DATABASE)
        return Outcome(kept == count, f"{kept} of {count} documents kept across the restart")
    finally:
        await client.close()
