"""Where a failed delivery goes: a delayed retry queue or the parking lot, with headers.

A message is acked only once its copy was confirmed on the target queue, so a
crash at any point leaves it on a queue. Copies are published under the
service's own broker user through its own exchange (`publisher.py`), carrying
the verified original publisher (`trust.py`).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from aio_pika.abc import AbstractIncomingMessage

from plut_shared.messaging import headers as h
from plut_shared.messaging.errors import describe
from plut_shared.messaging.inbound import DeliveryReader
from plut_shared.messaging.publisher import EventPublisher
from plut_shared.messaging.topology import ServiceTopology
from plut_shared.metrics.kernel import KernelMetrics

log = logging.getLogger(__name__)


class FailurePaths:
    def __init__(
        self,
        topology: ServiceTopology,
        purpose: str,
        publisher: EventPublisher,
        reader: DeliveryReader,
        immediate_attempts: int,
        metrics: KernelMetrics | None = None,
    ) -> None:
        self.metrics = metrics or KernelMetrics()
        self.topology = topology
        self.purpose = purpose
        self.queue_name = topology.queue_name(purpose)
        self.publisher = publisher
        self.reader = reader
        self.immediate_attempts = immediate_attempts

    async def retry_later(self, raw: AbstractIncomingMessage, error: BaseException) -> None:
        delayed = self._delayed_attempts(raw)
        if delayed >= len(self.topology.retry_delays_ms):
            total = (delayed + 1) * self.immediate_attempts
            await self.park(raw, error, attempts=total, reason="retries-exhausted")
            return
        headers = self._failure_headers(raw, error)
        headers[h.ATTEMPTS] = delayed + 1
        target = self.topology.retry_queue_name(self.purpose, delayed)
        await self._move(raw, target, headers)
        self.metrics.retried(raw.type)
        log.info("message sent to delayed retry", extra={"retry_queue": target})

    async def park(
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
        self.metrics.parked(raw.type, reason)
        log.error(
            "message parked", extra={"park_reason": reason, "error_type": type(error).__name__}
        )

    def _own(self, raw: AbstractIncomingMessage) -> bool:
        return raw.user_id == self.reader.trust.own_user

    def _delayed_attempts(self, raw: AbstractIncomingMessage) -> int:
        """Delayed passes so far, as counted in headers this service wrote itself."""
        if not self._own(raw):
            return 0
        try:
            return max(0, int(str(raw.headers.get(h.ATTEMPTS) or 0)))
        except ValueError:
            return 0

    def _failure_headers(
        self, raw: AbstractIncomingMessage, error: BaseException
    ) -> dict[str, Any]:
        headers = dict(raw.headers)
        if not self._own(raw):
            headers = {k: v for k, v in headers.items() if k not in h.KERNEL_HEADERS}
        headers.pop(h.VERIFIED_PUBLISHER, None)
        publisher = self.reader.publisher(raw)
        if publisher:
            headers[h.VERIFIED_PUBLISHER] = publisher
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
            "content_type": raw.content_type,
            "content_encoding": raw.content_encoding,
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
