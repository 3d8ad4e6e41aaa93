"""Broker connection, topology and consumers of one service, started and stopped together."""

from __future__ import annotations

import logging

import aio_pika
from faststream.rabbit import RabbitBroker
from faststream.rabbit.schemas import Channel

from plut_shared.messaging.consumer import EventConsumer, Handler, RetryPolicy
from plut_shared.messaging.docs import document_publications
from plut_shared.messaging.inbound import DeliveryReader
from plut_shared.messaging.intake import QueueIntake
from plut_shared.messaging.parking_watch import ParkingWatch
from plut_shared.messaging.publisher import EventPublisher
from plut_shared.messaging.topology import ConsumerQueue, ServiceTopology, declare_service
from plut_shared.messaging.trust import PublisherTrust, user_of
from plut_shared.metrics.kernel import KernelMetrics
from plut_shared.settings import ServiceSettings

log = logging.getLogger(__name__)


def topology_from_settings(
    service: str, settings: ServiceSettings, queues: tuple[ConsumerQueue, ...]
) -> ServiceTopology:
    return ServiceTopology(
        service=service,
        queues=queues,
        retry_delays_ms=tuple(settings.retry_delays_ms),
        delivery_limit=settings.delivery_limit,
    )


class MessagingRuntime:
    def __init__(
        self,
        service: str,
        settings: ServiceSettings,
        topology: ServiceTopology,
        *,
        metrics: KernelMetrics | None = None,
    ) -> None:
        self.metrics = metrics or KernelMetrics()
        self.service = service
        self.settings = settings
        self.topology = topology
        self.broker = RabbitBroker(
            settings.amqp_url,
            app_id=service,
            graceful_timeout=settings.graceful_timeout_s,
            reconnect_interval=1.0,
            default_channel=Channel(
                prefetch_count=settings.prefetch,
                publisher_confirms=True,
                on_return_raises=True,
            ),
            logger=logging.getLogger(f"{service}.broker"),
            # Documents name the compose host, never the URL (and password) in use.
            specification_url="amqp://rabbitmq:5672/",
        )
        self.broker_user = user_of(settings.amqp_url)
        self.publisher = EventPublisher(
            self.broker, user_id=self.broker_user, internal_exchange=topology.internal_exchange
        )
        self.trust = PublisherTrust(self.broker_user, settings.broker_user_prefix)
        document_publications(self.broker, service)
        self.consumers: list[EventConsumer] = []
        self.intakes: list[QueueIntake] = []
        self.parking_watch = ParkingWatch(
            settings.amqp_url,
            topology.parking_queue,
            self.metrics,
            interval=settings.parking_watch_interval_s,
        )

    def consume(
        self, purpose: str, handlers: dict[str, Handler], trust: PublisherTrust | None = None
    ) -> EventConsumer:
        """Handle a queue's events; `trust` decides whose events it accepts (default: each
        event type only from the service that owns it, see `trust`)."""
        queue = next(q for q in self.topology.queues if q.purpose == purpose)
        consumer = EventConsumer(
            self.topology,
            queue,
            handlers,
            self.publisher,
            DeliveryReader(trust or self.trust, self.settings.max_message_bytes),
            RetryPolicy(immediate_attempts=self.settings.immediate_attempts),
            metrics=self.metrics,
        )
        consumer.document(self.broker)
        self.consumers.append(consumer)
        self.intakes.append(
            consumer.intake(
                self.settings.amqp_url,
                prefetch=self.settings.prefetch,
                graceful_timeout_s=self.settings.graceful_timeout_s,
            )
        )
        return consumer

    def stalled_consumers(self) -> list[str]:
        """Queues whose consumer holds deliveries but has finished none for a while."""
        after = self.settings.consumer_stall_after_s
        return [c.queue_name for c in self.consumers if c.progress.stalled(after)]

    async def declare_topology(self) -> None:
        connection = await aio_pika.connect(self.settings.amqp_url)
        try:
            channel = await connection.channel()
            await declare_service(channel, self.topology)  # type: ignore[arg-type]
        finally:
            await connection.close()

    async def start(self) -> None:
        await self.declare_topology()
        await self.broker.start()  # publishing
        for intake in self.intakes:
            await intake.start()
        if self.consumers:  # only a service that consumes has a parking lot
            await self.parking_watch.start()
        log.info("messaging started", extra={"queues": len(self.topology.queues)})

    async def stop(self) -> None:
        # Consumers first: running handlers finish (bounded by graceful_timeout)
        # and may still publish; unacked messages go back to their queues.
        for intake in self.intakes:
            await intake.stop()
        await self.parking_watch.stop()
        await self.broker.stop()
