"""The subscriber wrapper every service's event handlers run in.

For each delivery: read it from its raw bytes and properties, check its ids and
its publisher (`inbound.py`), validate the payload, run the handler (whose
effect records the event id atomically, see `idempotency.apply_once`), and ack
only afterwards. Failures are classified:
- invalid message (unreadable, unknown event type, wrong publisher, bad
  payload) -> parked at once, with the reason;
- anything else -> a few immediate retries, then one pass through each delayed
  retry queue, then parked with error type, message, attempts, original routing
  key and first-failure time in its headers;
- a known event type without a handler here -> acked (not this service's concern).
Where failures go, and with which headers: `failures.py`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aio_pika.abc import AbstractIncomingMessage
from faststream.middlewares import AckPolicy
from faststream.rabbit import RabbitBroker, RabbitQueue
from pydantic import BaseModel

from plut_shared.contracts import Envelope, UnknownEventType, parse_payload, payload_model
from plut_shared.logs import log_context
from plut_shared.messaging.errors import InvalidMessage, is_permanent
from plut_shared.messaging.failures import FailurePaths
from plut_shared.messaging.inbound import DeliveryReader
from plut_shared.messaging.intake import QueueIntake
from plut_shared.messaging.locks import KeyedLocks
from plut_shared.messaging.progress import ConsumerProgress
from plut_shared.messaging.publisher import EventPublisher
from plut_shared.messaging.topology import ConsumerQueue, ServiceTopology
from plut_shared.metrics.deliveries import begin_attempt
from plut_shared.metrics.kernel import KernelMetrics
from plut_shared.tracing.kernel import consuming

log = logging.getLogger(__name__)

Handler = Callable[[Envelope, Any], Awaitable[None]]


@dataclass(frozen=True)
class RetryPolicy:
    immediate_attempts: int = 3
    immediate_backoff_s: float = 0.05


class EventConsumer:
    def __init__(
        self,
        topology: ServiceTopology,
        queue: ConsumerQueue,
        handlers: dict[str, Handler],
        publisher: EventPublisher,
        reader: DeliveryReader,
        retry: RetryPolicy | None = None,
        metrics: KernelMetrics | None = None,
    ) -> None:
        self.metrics = metrics or KernelMetrics()
        self.topology = topology
        self.queue = queue
        self.queue_name = topology.queue_name(queue.purpose)
        self.handlers = handlers
        self.publisher = publisher
        self.reader = reader
        self.retry = retry or RetryPolicy()
        self.progress = ConsumerProgress()
        self.failures = FailurePaths(
            topology, queue.purpose, publisher, reader, self.retry.immediate_attempts, self.metrics
        )
        self._subjects = KeyedLocks()

    def document(self, broker: RabbitBroker) -> None:
        """Describe the queue in the service's AsyncAPI document.

        FastStream only documents it: with no handler attached it never consumes.
        Deliveries come through `intake` (see there for why).
        """
        broker.subscriber(
            RabbitQueue(self.queue_name, declare=False),
            ack_policy=AckPolicy.MANUAL,
            title=self.queue_name,
            description=f"Consumes {', '.join(self.queue.bindings)} "
            f"(handled: {', '.join(sorted(self.handlers))}).",
        )

    def intake(self, amqp_url: str, *, prefetch: int, graceful_timeout_s: float) -> QueueIntake:
        return QueueIntake(
            amqp_url,
            self.queue_name,
            self.on_delivery,
            prefetch=prefetch,
            graceful_timeout_s=graceful_timeout_s,
        )

    async def on_delivery(self, raw: AbstractIncomingMessage) -> None:
        # No await before `process` reaches its per-subject queue: see `intake`.
        self.progress.started()
        try:
            await self.process(raw)
        finally:
            self.progress.finished()

    async def process(self, raw: AbstractIncomingMessage) -> None:
        with (
            consuming(raw, self.queue_name),
            log_context(
                event_id=raw.message_id, correlation_id=raw.correlation_id, event_type=raw.type
            ),
        ):
            try:
                envelope = self.reader.read(raw)
                payload, handler = self._route(envelope)
            except Exception as error:
                await self.failures.park(raw, error, attempts=0)
                return
            if handler is None:
                await raw.ack()  # a known event type, but not this service's concern
                self.metrics.ignored(envelope.event_type)
                return
            # aio-pika runs deliveries concurrently (up to the prefetch), each from
            # its start to here without suspending. Events of one subject queue
            # here in delivery order (asyncio locks are FIFO), so they are applied
            # in the order they were produced, one at a time.
            async with self._subjects.hold(self.queue_name, envelope.subject_id):
                await self._handle(raw, envelope, payload, handler)

    def _route(self, envelope: Envelope) -> tuple[BaseModel | None, Handler | None]:
        try:
            payload_model(envelope.event_type, envelope.schema_version)
        except UnknownEventType as error:
            raise InvalidMessage(str(error)) from error
        handler = self.handlers.get(envelope.event_type)
        if handler is None:
            return None, None
        return parse_payload(envelope), handler

    async def _handle(
        self,
        raw: AbstractIncomingMessage,
        envelope: Envelope,
        payload: BaseModel | None,
        handler: Handler,
    ) -> None:
        for attempt in range(1, self.retry.immediate_attempts + 1):
            begin_attempt()  # the aggregate store notes on it a repeat of this event
            try:
                await handler(envelope, payload)
            except Exception as error:
                if is_permanent(error):
                    await self.failures.park(raw, error, attempts=attempt)
                    return
                log.warning("handler failed, attempt %d", attempt, exc_info=True)
                if attempt == self.retry.immediate_attempts:
                    await self.failures.retry_later(raw, error)
                    return
                await asyncio.sleep(self.retry.immediate_backoff_s * attempt)
            else:
                await raw.ack()
                self.metrics.handled(envelope.event_type)
                return
