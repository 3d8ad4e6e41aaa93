"""Benchmark: one cancelling event against messages already stored, with a scan and by `_id`.

    uv run python -m bench.notifications_cancel --stored 1000 20000 --repeat 15

For each count it fills a fresh database with that many delivered messages,
`--per-owner` to an owner (the history every centre builds up), and lists them
under their owners with the start-up sweep (timed: the first start after an
upgrade). Then `--repeat` times an owner with as many delivered messages
confirms a session and cancels it, handled as the consumer does: the
cancellation withdraws the waiting day-before reminder and schedules the
cancellation message. It prints the median time of handling one
cancellation, and of its `waiting` query alone, first with the
query this service had before the owner's list (a filter on `umkm_id`,
`template`, `state` and `payload.session_id`: a scan of `messages` on the
local store), then with the owner's list (the list by `_id`, the messages by
`_id`). The two take turns, on the same data. Only the store takes part (no
broker, no relay, no dispatcher). The store comes from PLUT_MONGO_URL or the
local one; the database is dropped afterwards. Figures are printed, never
asserted; the load average with them, as the machine may be shared.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from notifications.adapters.message_queries import StoredMessageQueries
from notifications.domain.contacts import Contact
from notifications.domain.message import Message
from notifications.handlers import NotificationHandlers
from plut_shared.contracts import Envelope, make_envelope, training
from plut_shared.messaging import Aggregates, Cause
from pymongo.asynchronous.database import AsyncDatabase

from bench.fresh_store import each_in_a_fresh_database
from bench.notifications_dispatch import MONGO_URL, Daytime, NotificationStores, delivered_welcome
from tests.unit.notifications.examples import registered

CAUSE = Cause("bench-cancel")


class ScanningQueries(StoredMessageQueries):
    """`waiting` as it was before the owner's list: one filter on four fields, a scan."""

    async def waiting(
        self, umkm_id: str, templates: Sequence[str], *, about: tuple[str, Any]
    ) -> list[str]:
        field, value = about
        query: dict[str, Any] = {
            "umkm_id": umkm_id,
            "template": {"$in": list(templates)},
            "state": {"$in": ["scheduled", "retrying"]},
            f"payload.{field}": value,
        }
        return [document["_id"] async for document in self._collection.find(query, {"_id": 1})]


def enrollment(kind: type, owner: str, clock: Daytime) -> tuple[Envelope, Any]:
    payload = kind(
        umkm_id=owner, session_id="s-1", topic="Pemasaran digital",
        starts_at=clock.now() + timedelta(days=3), place="Aula PLUT",
    )  # fmt: skip
    event = make_envelope(
        payload, producer="training", centre_id="c", subject_id=owner, correlation_id="b"
    )
    return event, payload


def history(owner: str, number: int, clock: Daytime) -> Message:
    message = delivered_welcome(number, clock)
    message.umkm_id = owner
    return message


async def fill_history(
    store: Aggregates[Message], stored: int, per_owner: int, clock: Daytime
) -> None:
    for start in range(0, stored, 200):
        numbers = range(start, min(start + 200, stored))
        batch = [history(f"history-{n // per_owner:06d}", n, clock) for n in numbers]
        await asyncio.gather(*(store.add(message, CAUSE) for message in batch))


async def one_cancellation(
    handlers: NotificationHandlers, queries: StoredMessageQueries, owner: str, clock: Daytime
) -> tuple[float, float]:
    """Seconds to handle one cancellation, and to answer its `waiting` query alone."""
    await handlers.schedule(*enrollment(training.EnrollmentConfirmed, owner, clock))
    started = time.perf_counter()
    found = await queries.waiting(owner, ["training_reminder"], about=("session_id", "s-1"))
    query_s = time.perf_counter() - started
    assert len(found) == 1, found  # the reminder of this session, nothing else
    started = time.perf_counter()
    await handlers.schedule(*enrollment(training.EnrollmentCancelled, owner, clock))
    return time.perf_counter() - started, query_s


async def measure(db: AsyncDatabase, stored: int, per_owner: int, repeat: int) -> str:
    clock = Daytime()
    raw, contacts, schedule, owners, messages = NotificationStores.on(db)
    variants = {
        "scan": ScanningQueries(raw, schedule, owners),
        "by _id": StoredMessageQueries(raw, schedule, owners),
    }
    for store in (raw, contacts, variants["by _id"]):
        await store.create_indexes()
    await fill_history(raw, stored, per_owner, clock)  # as before the list: nobody listed
    first_sweep_s = await timed_sweep(variants["by _id"], clock)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    for round_number in range(repeat):  # the two take turns, so both see the same load
        for name, queries in variants.items():
            owner = f"owner-{round_number}-{name}"
            await contacts.add(Contact.from_registered(registered(umkm_id=owner), "c"), CAUSE)
            older = [history(owner, n, clock) for n in range(per_owner)]
            await asyncio.gather(*(messages.add(message, CAUSE) for message in older))
            handlers = NotificationHandlers(contacts, messages, queries, clock, lambda: None)
            times[name].append(await one_cancellation(handlers, queries, owner, clock))
    figures = ", ".join(
        f"{name}: {_median(found, 0):5.2f} ms (query {_median(found, 1):5.2f} ms)"
        for name, found in times.items()
    )
    later_sweep_s = await timed_sweep(variants["by _id"], clock)
    return (
        f"one cancellation, {figures}; start-up sweep {first_sweep_s * 1000:.0f} ms the first "
        f"time, {later_sweep_s * 1000:.0f} ms later"
    )


async def timed_sweep(queries: StoredMessageQueries, clock: Daytime) -> float:
    started = time.perf_counter()
    await queries.restore_owner_lists(clock.now())
    return time.perf_counter() - started


def _median(samples: list[tuple[float, float]], index: int) -> float:
    return statistics.median(sample[index] for sample in samples) * 1000


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", type=int, nargs="+", default=[1_000, 20_000])
    parser.add_argument("--per-owner", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    await each_in_a_fresh_database(
        MONGO_URL,
        "bench_cancel",
        args.stored,
        "stored",
        lambda db, size: measure(db, size, args.per_owner, args.repeat),
    )


if __name__ == "__main__":
    asyncio.run(main())
