"""The subscriber wrapper every service's event handlers run in.

For each delivery: validate the envelope and payload, run the handler (whose
effect records the event id atomically, see `idempotency.apply_once`), and ack
only afterwards. Failures are classified:
- invalid message -> parked at once, with the reason;
- anything else -> a few immediate retries, then one pass through each delayed
  retry queue, then parked with error type, message, attempts, original routing
  key and first-failure time in its headers.
A message is acked only once it is safely elsewhere (confirmed re-publish), so
a crash at any point leaves it on a queue.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aio_pika.abc import AbstractIncomingMessage
from faststream.middlewares import AckPolicy
from faststream.rabbit import RabbitBroker, RabbitQueue
from faststream.rabbit.annotations import RabbitMessage
from pydantic import BaseModel

from plut_shared.contracts import Envelope, UnknownEventType, parse_payload
from plut_shared.logs import log_context
from plut_shared.messaging import headers as h
from plut_shared.messaging.errors import InvalidMessage, describe, is_permanent
from plut_shared.messaging.locks import KeyedLocks
from plut_shared.messaging.publisher import EventPublisher
from plut_shared.messaging.topology import ConsumerQueue, ServiceTopology

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
        retry: RetryPolicy | None = None,
    ) -> None:
        self.topology = topology
        self.queue = queue
        self.queue_name = topology.queue_name(queue.purpose)
        self.handlers = handlers
        self.publisher = publisher
        self.retry = retry or RetryPolicy()
        self._subjects = KeyedLocks()

    def subscribe(self, broker: RabbitBroker) -> None:
        """Attach to the (already declared) queue; acks are ours, not FastStream's."""
        consumer = broker.subscriber(
            RabbitQueue(self.queue_name, declare=False),
            ack_policy=AckPolicy.MANUAL,
            title=self.queue_name,
            description=f"Consumes {', '.join(self.queue.bindings)} "
            f"(handled: {', '.join(sorted(self.handlers))}).",
        )
        consumer(self._on_delivery)

    async def _on_delivery(self, body: Any, message: RabbitMessage) -> None:
        await self.process(message.raw_message)

    async def process(self, raw: AbstractIncomingMessage) -> None:
        with log_context(
            event_id=raw.message_id, correlation_id=raw.correlation_id, event_type=raw.type
        ):
            try:
                envelope, payload, handler = self._decode(raw)
            except Exception as error:
                await self._park(raw, error, attempts=0)
                return
            if handler is None:
                await raw.ack()  # bound by a wildcard, but not this service's concern
                return
            # aio-pika runs deliveries concurrently (up to the prefetch). Events of
            # one subject queue here in delivery order (asyncio locks are FIFO), so
            # they are applied in the order they were produced, one at a time.
            async with self._subjects.hold(self.queue_name, envelope.subject_id):
                await self._handle(raw, envelope, payload, handler)

    def _decode(
        self, raw: AbstractIncomingMessage
    ) -> tuple[Envelope, BaseModel | None, Handler | None]:
        try:
            envelope = Envelope.model_validate_json(raw.body)
        except ValueError as error:
            raise InvalidMessage(f"invalid envelope: {describe(error)}") from error
        handler = self.handlers.get(envelope.event_type)
        if handler is None:
            return envelope, None, None
        try:
            return envelope, parse_payload(envelope), handler
        except UnknownEventType as error:
            raise InvalidMessage(str(error)) from error

    async def _handle(
        self,
        raw: AbstractIncomingMessage,
        envelope: Envelope,
        payload: BaseModel | None,
        handler: Handler,
    ) -> None:
        for attempt in range(1, self.retry.immediate_attempts + 1):
            try:
                await handler(envelope, payload)
            except Exception as error:
                if is_permanent(error):
                    await self._park(raw, error, attempts=attempt)
                    return
                log.warning("handler failed, attempt %d", attempt, exc_info=True)
                if attempt == self.retry.immediate_attempts:
                    await self._retry_later(raw, error)
                    return
                await asyncio.sleep(self.retry.immediate_backoff_s * attempt)
            else:
                await raw.ack()
                return

    async def _retry_later(self, raw: AbstractIncomingMessage, error: BaseException) -> None:
        delayed = int(str(raw.headers.get(h.ATTEMPTS) or 0))
        tiers = len(self.topology.retry_delays_ms)
        if delayed >= tiers:
            total = (delayed + 1) * self.retry.immediate_attempts
            await self._park(raw, error, attempts=total, reason="retries-exhausted")
            return
        headers = self._failure_headers(raw, error)
        headers[h.ATTEMPTS] = delayed + 1
        target = self.topology.retry_queue_name(self.queue.purpose, delayed)
        await self._move(raw, target, headers)
        log.info("message sent to delayed retry", extra={"retry_queue": target})

    async def _park(
        self,
        raw: AbstractIncomingMessage,
        error: BaseException,
        *,
        attempts: int,
        reason: str = "invalid",
    ) -> None:
        headers = self._failure_headers(raw, error)
        headers.update(
            {
                h.ATTEMPTS: attempts,
                h.PARK_REASON: reason,
                h.PARKED_AT: datetime.now(UTC).isoformat(),
            }
        )
        await self._move(raw, self.topology.parking_queue, headers)
        log.error(
            "message parked", extra={"park_reason": reason, "error_type": type(error).__name__}
        )

    def _failure_headers(
        self, raw: AbstractIncomingMessage, error: BaseException
    ) -> dict[str, Any]:
        headers = dict(raw.headers)
        headers.setdefault(h.ORIGINAL_ROUTING_KEY, raw.routing_key or "")
        headers.setdefault(h.ORIGINAL_QUEUE, self.queue_name)
        headers.setdefault(h.FIRST_FAILURE_AT, datetime.now(UTC).isoformat())
        headers[h.ERROR_TYPE] = type(error).__name__
        headers[h.ERROR_MESSAGE] = describe(error)
        return headers

    async def _move(
        self, raw: AbstractIncomingMessage, queue: str, headers: dict[str, Any]
    ) -> None:
        """Confirmed copy to `queue`, then ack; if the copy fails the original is requeued."""
        properties = {
            "message_id": raw.message_id,
            "correlation_id": raw.correlation_id,
            "type": raw.type,
        }
        try:
            await self.publisher.send_to_queue(
                queue, raw.body, properties=properties, headers=headers
            )
        except Exception:
            log.warning("could not move message, returning it to its queue", exc_info=True)
            await raw.nack(requeue=True)
            return
        await raw.ack()
