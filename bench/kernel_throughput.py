"""Kernel benchmark: the full outbox path against raw aio-pika at its best, in one run.

    uv run python -m bench.kernel_throughput [--events 2000]

Same broker and store, a fresh vhost and database:
1. baselines (`bench.baselines`): aio-pika publishing persistent messages with
   confirms to a quorum queue while a consumer acks them, one confirm in
   flight (serial) and up to 500 (pipelined);
2. kernel, at its peak: writers change aggregates through the aggregate store
   (state and outbox in one write), the relay publishes, the consumer applies
   each event with `apply_once`. Latency is from the start of the write to the
   effect. Twice: 100 aggregates changed over and over ("hot"), and every
   event on its own new aggregate, as registrations are ("spread");
3. kernel at 25% of the hot peak rate, and one event at a time (no backlog).
Prints both ratios, the latencies, the CPU each process spent per event (and
the rate that allows on this machine's cores: `bench.cpu`), the store commands
per event (`bench.store_commands`), and the peak
resident memory of the benchmark process (the service runs in it), the broker
and the store.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import traceback
import uuid

from plut_shared.contracts import Envelope
from pymongo import AsyncMongoClient

from bench.baselines import IN_FLIGHT, baseline
from bench.cpu import CpuSeconds
from bench.memory import own_peak_mb, peak_mb_of
from bench.store_commands import StoreCommands, per_event
from tests.support.broker_admin import VhostAdmin, with_vhost
from tests.support.containers import local_endpoints
from tests.support.counter_service import CounterService, settings_for

AGGREGATES = 100


class Timings:
    """Write start and effect time of each event, and a signal when a count is reached."""

    def __init__(self) -> None:
        self.written: dict[str, float] = {}
        self.effects: dict[str, float] = {}
        self.target = 0
        self.reached = asyncio.Event()

    async def record_effect(self, envelope: Envelope) -> None:
        self.effects[envelope.event_id] = time.perf_counter()
        if len(self.effects) >= self.target:
            self.reached.set()

    def expect(self, more: int) -> None:
        self.target = len(self.effects) + more
        self.reached.clear()

    def latencies(self, ids: list[str]) -> list[float]:
        return [self.effects[i] - self.written[i] for i in ids]


async def write(service: CounterService, timings: Timings, counter_id: str, seq: int) -> str:
    begin = time.perf_counter()
    envelope = await service.increment(counter_id, seq)
    timings.written[envelope.event_id] = begin
    return envelope.event_id


async def peak(service: CounterService, timings: Timings, events: int) -> tuple[float, list[str]]:
    """As fast as writers can go: each aggregate's events written one after another."""
    timings.expect(events)
    started = time.perf_counter()

    async def writer(n: int) -> list[str]:
        return [
            await write(service, timings, f"agg-{n}", s) for s in range(1, events // AGGREGATES + 1)
        ]

    ids = [
        i for batch in await asyncio.gather(*(writer(n) for n in range(AGGREGATES))) for i in batch
    ]
    await asyncio.wait_for(timings.reached.wait(), timeout=900)
    return events / (time.perf_counter() - started), ids


async def spread(service: CounterService, timings: Timings, events: int) -> float:
    """As registrations do: every event on its own new aggregate, 100 writers at once."""
    timings.expect(events)
    started = time.perf_counter()

    async def writer(n: int) -> None:
        for k in range(n, events, AGGREGATES):
            await write(service, timings, f"new-{k}", 1)

    await asyncio.gather(*(writer(n) for n in range(AGGREGATES)))
    await asyncio.wait_for(timings.reached.wait(), timeout=900)
    return events / (time.perf_counter() - started)


async def paced(service: CounterService, timings: Timings, rate: float, events: int) -> list[str]:
    """Events at a steady `rate` per second, each on its own new aggregate."""
    timings.expect(events)
    tasks = []
    for n in range(events):
        tasks.append(asyncio.create_task(write(service, timings, f"paced-{n}", 1)))
        await asyncio.sleep(1 / rate)
    ids = await asyncio.gather(*tasks)
    await asyncio.wait_for(timings.reached.wait(), timeout=300)
    return list(ids)


async def one_at_a_time(service: CounterService, timings: Timings, events: int = 30) -> list[str]:
    ids = []
    for seq in range(1, events + 1):
        timings.expect(1)
        ids.append(await write(service, timings, "at-rest", seq))
        await asyncio.wait_for(timings.reached.wait(), timeout=60)
    return ids


async def kernel(
    amqp_url: str, user_prefix: str, mongo_url: str, database: str, events: int, prefetch: int
) -> dict[str, object]:
    # Production sweep period: the relay runs on notifications, not on scans.
    settings = settings_for(
        amqp_url,
        mongo_url,
        relay_sweep_interval_s=30.0,
        broker_user_prefix=user_prefix,
        prefetch=prefetch,
    )
    # As the `testkit` broker user, which owns the counter events (tests/support/broker_admin.py).
    commands = StoreCommands.listening()  # before the service makes its client
    service = CounterService(f"kernel-{uuid.uuid4().hex[:8]}", settings, database)
    timings = Timings()
    service.behaviour.after_effect = timings.record_effect
    await service.start()
    try:
        before, sent = CpuSeconds.now(), commands.snapshot()
        rate, loaded = await peak(service, timings, events)
        hot_cpu, hot_commands = (
            CpuSeconds.now() - before,
            per_event(sent, commands.snapshot(), events),
        )
        before, sent = CpuSeconds.now(), commands.snapshot()
        spread_rate = await spread(service, timings, events)
        spread_cpu = CpuSeconds.now() - before
        spread_commands = per_event(sent, commands.snapshot(), events)
        quarter = await paced(service, timings, rate / 4, max(100, events // 4))
        idle = await one_at_a_time(service, timings)
    finally:
        await service.stop()
    return {
        "rate": rate,
        "hot_cpu": hot_cpu,
        "hot_commands": hot_commands,
        "spread_commands": spread_commands,
        "spread_rate": spread_rate,
        "spread_cpu": spread_cpu,
        "loaded": timings.latencies(loaded),
        "quarter": timings.latencies(quarter),
        "quarter_rate": rate / 4,
        "idle": timings.latencies(idle),
    }


def percentiles(values: list[float]) -> str:
    cuts = statistics.quantiles(values, n=100)
    return f"p50 {cuts[49] * 1000:7.1f} ms, p99 {cuts[98] * 1000:7.1f} ms"


def report(
    events: int, serial: float, pipelined: float, pipelined_cpu: CpuSeconds, path: dict
) -> None:
    rate, spread_rate = float(path["rate"]), float(path["spread_rate"])
    print(f"events: {events}  cores: {os.cpu_count()}  load: {os.getloadavg()[0]:.2f}")
    print(f"baseline  aio-pika, 1 confirm in flight:          {serial:8.0f} msg/s")
    print(f"baseline  aio-pika, {IN_FLIGHT} confirms in flight:      {pipelined:8.0f} msg/s")
    print(f"kernel    write -> relay -> consume -> apply_once: {rate:8.0f} events/s (hot)")
    print(
        f"kernel    the same, each event a new aggregate:    {spread_rate:8.0f} events/s (spread)"
    )
    print(
        f"ratio     kernel / serial baseline:    {rate / serial:.2f} hot,"
        f" {spread_rate / serial:.2f} spread"
    )
    print(
        f"ratio     kernel / pipelined baseline: {rate / pipelined:.2f} hot,"
        f" {spread_rate / pipelined:.2f} spread"
    )
    print(f"cpu/event baseline, pipelined: {pipelined_cpu.per_event(events)}")
    print(f"cpu/event kernel, hot:         {path['hot_cpu'].per_event(events)}")
    print(f"cpu/event kernel, spread:      {path['spread_cpu'].per_event(events)}")
    print(f"store commands/event, hot:     {path['hot_commands']}")
    print(f"store commands/event, spread:  {path['spread_commands']}")
    print(f"latency   write -> effect at peak:               {percentiles(path['loaded'])}")
    quarter = f"at 25% of peak ({float(path['quarter_rate']):.0f}/s):"
    print(f"latency   write -> effect {quarter:<22} {percentiles(path['quarter'])}")
    print(f"latency   write -> effect one at a time:         {percentiles(path['idle'])}")
    broker, store = peak_mb_of("beam.smp"), peak_mb_of("StoreServer")
    print(
        f"peak RSS  benchmark+service {own_peak_mb():.0f} MB, broker "
        f"{broker or 0:.0f} MB, store {store or 0:.0f} MB"
    )


async def main(events: int, prefetch: int) -> None:
    endpoints = local_endpoints()
    admin = VhostAdmin(endpoints.amqp_url, endpoints.management_url)
    vhost = admin.create("plut-bench")
    database = f"bench_{uuid.uuid4().hex[:8]}"
    amqp_url = with_vhost(endpoints.amqp_url, vhost)
    try:
        serial = await baseline(amqp_url, events, in_flight=1)
        before = CpuSeconds.now()
        pipelined = await baseline(amqp_url, events, in_flight=IN_FLIGHT)
        pipelined_cpu = CpuSeconds.now() - before
        testkit_url = admin.service_url(vhost, "testkit")
        path = await kernel(
            testkit_url, admin.user_prefix, endpoints.mongo_url, database, events, prefetch
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
    print(f"consumer prefetch: {prefetch}")
    report(events, serial, pipelined, pipelined_cpu, path)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--prefetch", type=int, default=20, help="the kernel consumer's prefetch")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.events, arguments.prefetch))
