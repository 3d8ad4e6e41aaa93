"""Kernel benchmark: raw confirmed publish/consume vs the full outbox path.

    uv run python -m bench.kernel_throughput [--events 1000]

Both runs use the same broker and store, in a fresh vhost and database:
1. baseline: aio-pika publishes persistent messages with publisher confirms,
   one at a time (as the relay does), while a consumer acks them;
2. kernel: each event is an atomic write of state plus outbox, published by
   the relay, consumed through the kernel's subscriber wrapper and applied
   with `apply_once`. Latency is from the start of the write to the effect.
Prints throughput of both, their ratio, and the kernel's p50/p99 latency.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import traceback
import uuid

import aio_pika
from plut_shared.contracts import Envelope
from pymongo import AsyncMongoClient

from tests.support.broker_admin import VhostAdmin, with_vhost
from tests.support.containers import local_endpoints
from tests.support.counter_service import CounterService, settings_for

AGGREGATES = 50


async def baseline(amqp_url: str, events: int) -> float:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        await channel.set_qos(prefetch_count=20)
        queue = await channel.declare_queue(
            "bench.baseline", durable=True, arguments={"x-queue-type": "quorum"}
        )
        received = asyncio.Event()
        count = 0

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            nonlocal count
            await message.ack()
            count += 1
            if count == events:
                received.set()

        await queue.consume(on_message)
        body = b'{"event_type":"bench.message.sent","payload":{}}'
        started = time.perf_counter()
        for n in range(events):
            await channel.default_exchange.publish(
                aio_pika.Message(
                    body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT, message_id=str(n)
                ),
                routing_key=queue.name,
                mandatory=True,
            )
        await received.wait()
        elapsed = time.perf_counter() - started
        await queue.delete(if_unused=False, if_empty=False)
    return events / elapsed


async def kernel(
    amqp_url: str, user_prefix: str, mongo_url: str, database: str, events: int
) -> tuple[float, list[float], list[float]]:
    written: dict[str, float] = {}
    effects: dict[str, float] = {}
    done = asyncio.Event()

    async def record_effect(envelope: Envelope) -> None:
        effects[envelope.event_id] = time.perf_counter()
        if len(effects) == events:
            done.set()
        if envelope.subject_id == "at-rest":
            at_rest.set()

    at_rest = asyncio.Event()

    # Production sweep period: the relay runs on notifications, not on scans.
    settings = settings_for(
        amqp_url, mongo_url, relay_sweep_interval_s=30.0, broker_user_prefix=user_prefix
    )
    # As the `testkit` broker user, which owns the counter events (tests/support/broker_admin.py).
    service = CounterService(f"kernel-{uuid.uuid4().hex[:8]}", settings, database)
    service.behaviour.after_effect = record_effect
    await service.start()
    started = time.perf_counter()

    async def writer(first: int) -> None:
        for seq in range(1, events // AGGREGATES + 1):
            begin = time.perf_counter()
            envelope = await service.increment(f"agg-{first}", seq)
            written[envelope.event_id] = begin

    await asyncio.gather(*(writer(n) for n in range(AGGREGATES)))
    await asyncio.wait_for(done.wait(), timeout=600)
    elapsed = time.perf_counter() - started
    latencies = [effects[e] - written[e] for e in written]
    idle = []
    for seq in range(1, 31):  # one event at a time: latency without a backlog
        at_rest.clear()
        begin = time.perf_counter()
        await service.increment("at-rest", seq)
        await asyncio.wait_for(at_rest.wait(), timeout=60)
        idle.append(time.perf_counter() - begin)
    await service.stop()
    return events / elapsed, latencies, idle


async def main(events: int) -> None:
    endpoints = local_endpoints()
    admin = VhostAdmin(endpoints.amqp_url, endpoints.management_url)
    vhost = admin.create("plut-bench")
    database = f"bench_{uuid.uuid4().hex[:8]}"
    amqp_url = with_vhost(endpoints.amqp_url, vhost)
    try:
        raw = await baseline(amqp_url, events)
        testkit_url = admin.service_url(vhost, "testkit")
        path, latencies, idle = await kernel(
            testkit_url, admin.user_prefix, endpoints.mongo_url, database, events
        )
    except BaseException:
        traceback.print_exc()  # before the clean-up below drops the vhost under the service
        raise
    finally:
        admin.delete(vhost)
        admin.close()
        client: AsyncMongoClient = AsyncMongoClient(endpoints.mongo_url)
        await client.drop_database(database)
        await client.close()
    cuts = statistics.quantiles(latencies, n=100)
    print(f"events: {events}  cores: {os.cpu_count()}")
    print(f"baseline  aio-pika confirmed publish -> consume: {raw:8.0f} msg/s")
    print(f"kernel    write+outbox -> relay -> consume -> apply_once: {path:8.0f} events/s")
    print(f"ratio     kernel / baseline: {path / raw:.2f}")
    print(
        f"latency   write -> effect under load: p50 {cuts[49] * 1000:.1f} ms, "
        f"p99 {cuts[98] * 1000:.1f} ms"
    )
    print(
        f"latency   one event at a time: p50 {statistics.median(idle) * 1000:.1f} ms, "
        f"max {max(idle) * 1000:.1f} ms (30 events)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1000)
    asyncio.run(main(parser.parse_args().events))
