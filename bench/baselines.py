"""Raw aio-pika at its best, the yardstick for the kernel benchmark.

Both baselines publish persistent messages to a quorum queue with publisher
confirms and consume them with acks, as the kernel does; they differ in how
many confirms they keep in flight: one (what a relay waiting for each confirm
does) or up to `IN_FLIGHT` (what the broker can take).
"""

from __future__ import annotations

import asyncio
import time

import aio_pika

IN_FLIGHT = 500
PREFETCH = 200
BODY = b'{"event_type":"bench.message.sent","payload":{}}'


async def baseline(amqp_url: str, events: int, *, in_flight: int) -> float:
    """Messages per second from the first publish to the last ack."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        await channel.set_qos(prefetch_count=PREFETCH)
        queue = await channel.declare_queue(
            f"bench.baseline.{in_flight}", durable=True, arguments={"x-queue-type": "quorum"}
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
        gate = asyncio.Semaphore(in_flight)

        async def publish(n: int) -> None:
            async with gate:
                message = aio_pika.Message(
                    BODY, delivery_mode=aio_pika.DeliveryMode.PERSISTENT, message_id=str(n)
                )
                await channel.default_exchange.publish(
                    message, routing_key=queue.name, mandatory=True
                )

        started = time.perf_counter()
        await asyncio.gather(*(publish(n) for n in range(events)))
        await received.wait()
        elapsed = time.perf_counter() - started
        await queue.delete(if_unused=False, if_empty=False)
    return events / elapsed
