"""The depth of a service's parking lot, as a metric that counts every kind of park.

The kernel counts what it parks itself (`plut_events_parked_total`, by reason).
RabbitMQ also dead-letters a delivery into the parking lot on its own, when it
reaches the queue's delivery limit (a process that died on it over and over),
and no code of the service sees that happen. So every `interval` the watch asks
the broker how many messages wait in the parking lot (a passive declare, which
the service's broker user may make on its own queues) and sets
`plut_parked_messages`: an alert on it above 0 catches both kinds, and it falls
back when an operator replays or purges them (`plut parked`).

It uses a connection of its own, so a slow or broken broker answer never holds
up a consumer, and a fresh channel per look, because a refused declare closes
its channel. A look that fails is logged and tried again at the next round.
"""

from __future__ import annotations

import aio_pika
from aio_pika.abc import AbstractRobustConnection

from plut_shared.background import BackgroundLoop
from plut_shared.metrics.kernel import KernelMetrics


class ParkingWatch:
    def __init__(
        self, amqp_url: str, queue_name: str, metrics: KernelMetrics, *, interval: float
    ) -> None:
        self._url = amqp_url
        self.queue_name = queue_name
        self._metrics = metrics
        # A failed look waits a whole interval too: a metric is not worth a warning a second.
        self._loop = BackgroundLoop(
            f"watch {queue_name}", self.look, interval=interval, retry_pause=interval
        )
        self._connection: AbstractRobustConnection | None = None

    async def start(self) -> None:
        self._connection = await aio_pika.connect_robust(
            self._url, client_properties={"connection_name": f"watch {self.queue_name}"}
        )
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    async def look(self) -> None:
        """Read the parking lot's depth once and publish it as the gauge."""
        assert self._connection is not None, "start the watch first"
        async with self._connection.channel() as channel:
            queue = await channel.declare_queue(self.queue_name, passive=True)
            self._metrics.parking(queue.declaration_result.message_count or 0)
