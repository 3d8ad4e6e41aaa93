"""What the local store keeps when its process is killed, and after a graceful stop.

    uv run python -m bench.store_durability [--documents 1500] [--repeat 3]

Each trial starts a private store (free port, fresh data file), inserts the
documents as fast as 8 concurrent writers can (every insert acknowledged), then
stops the store at a set delay after the last acknowledgement: SIGKILL (nothing
runs at exit) or SIGTERM (the launcher's shutdown hook closes the H2 store).
It then starts the store again on the same file and counts the survivors.
Prints figures; asserts nothing (README, "Why these parts").
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import tempfile
import time
from pathlib import Path

from pymongo import AsyncMongoClient, MongoClient

from tests.support.private_store import PrivateStore

WRITERS = 8
KILL_DELAYS_S = (0.0, 0.05, 0.3, 1.0)


async def insert_fast(url: str, documents: int) -> float:
    """Inserts `documents` one by one from WRITERS tasks; returns inserts per second."""
    client: AsyncMongoClient = AsyncMongoClient(url)
    collection = client.bench.durability
    started = time.monotonic()

    async def writer(first: int) -> None:
        for number in range(first, documents, WRITERS):
            await collection.insert_one({"_id": number, "payload": "x" * 200})

    await asyncio.gather(*(writer(first) for first in range(WRITERS)))
    rate = documents / (time.monotonic() - started)
    await client.close()
    return rate


def survivors(store: PrivateStore) -> int:
    with MongoClient(store.url) as client:
        return client.bench.durability.count_documents({})


def trial(documents: int, signum: int, delay: float) -> tuple[int, float]:
    """One store, one burst of writes, one stop; returns (documents kept, insert rate)."""
    with tempfile.TemporaryDirectory() as directory, PrivateStore(Path(directory)) as store:
        rate = asyncio.run(insert_fast(store.url, documents))
        time.sleep(delay)
        store.stop(signum)
        store.start()
        return survivors(store), rate


def report(label: str, kept: list[int], documents: int) -> None:
    figures = ", ".join(f"{count}" for count in kept)
    lost = [documents - count for count in kept]
    print(f"{label}: kept {figures} of {documents} (lost {min(lost)}-{max(lost)})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rates: list[float] = []
    plan = [
        (f"SIGKILL {delay:.2f} s after the last ack", signal.SIGKILL, delay)
        for delay in KILL_DELAYS_S
    ]
    plan.append(("SIGTERM 0.00 s after the last ack", signal.SIGTERM, 0.0))
    for label, signum, delay in plan:
        kept: list[int] = []
        for _ in range(args.repeat):
            count, rate = trial(args.documents, signum, delay)
            kept.append(count)
            rates.append(rate)
        report(label, kept, args.documents)
    print(f"insert rate while writing: {min(rates):.0f}-{max(rates):.0f} documents/s")


if __name__ == "__main__":
    main()
