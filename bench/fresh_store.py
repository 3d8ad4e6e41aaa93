"""Run a store benchmark once per size, each time in a database of its own, dropped after."""

from __future__ import annotations

import os
import uuid
from collections.abc import Awaitable, Callable

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase


async def each_in_a_fresh_database(
    mongo_url: str,
    prefix: str,
    sizes: list[int],
    noun: str,
    measure: Callable[[AsyncDatabase, int], Awaitable[str]],
) -> None:
    """Print `measure`'s figures per size, with the load average and the core count."""
    client: AsyncMongoClient = AsyncMongoClient(mongo_url, tz_aware=True)
    try:
        for size in sizes:
            name = f"{prefix}_{uuid.uuid4().hex[:8]}"
            try:
                figures = await measure(client[name], size)
            finally:
                await client.drop_database(name)
            load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
            print(f"{size:>7,} {noun}: {figures}; load {load} on {os.cpu_count()} cores")
    finally:
        await client.close()
