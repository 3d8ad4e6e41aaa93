"""Publishing with every safety option set on purpose (README, "Reliability").

FastStream publishes non-persistent unless told; here every message is
persistent and mandatory, and the broker is connected with publisher confirms
and `on_return_raises`, so an unroutable or nacked message raises instead of
vanishing. The caller (the outbox relay, the retry path) retries on error.

Every message carries the AMQP `user_id` of the service's broker user, which
the broker verifies; a publish the user's permissions refuse (another service's
event type) closes the channel with ACCESS_REFUSED and raises `PublishFailed`.
Events of the partner stream (type `partner.*`) go to `plut.partners` under
`partner.<partner_id>.<entity>.<verb>` instead (see `partners`), so the relay
publishes a service's partner-facing events from its outbox like the others.
Messages for the service's own queues (retry tiers, parking lot, replay) go
through its own direct exchange, `<service>.internal`: no service may write to
the default exchange, so no other user can put a message on these queues.
"""

from __future__ import annotations

from typing import Any

from faststream.rabbit import ExchangeType, RabbitBroker, RabbitExchange
from pamqp.commands import Basic

from plut_shared.contracts import Envelope
from plut_shared.messaging.partners import (
    PARTNERS_EXCHANGE,
    is_partner_facing,
    partner_routing_key,
)
from plut_shared.messaging.topology import EVENTS_EXCHANGE
from plut_shared.tracing.kernel import publishing

JSON = "application/json"

EVENTS = RabbitExchange(EVENTS_EXCHANGE, type=ExchangeType.TOPIC, durable=True, declare=False)
PARTNERS = RabbitExchange(PARTNERS_EXCHANGE, type=ExchangeType.TOPIC, durable=True, declare=False)


class PublishFailed(RuntimeError):
    """The broker did not confirm the message; it must be published again."""


class EventPublisher:
    def __init__(
        self, broker: RabbitBroker, *, user_id: str, internal_exchange: str, timeout: float = 10.0
    ) -> None:
        self._broker = broker
        self._user_id = user_id
        self._internal = RabbitExchange(
            internal_exchange, type=ExchangeType.DIRECT, durable=True, declare=False
        )
        self._timeout = timeout

    async def publish_event(self, envelope: Envelope) -> None:
        """Publish an event on the internal exchange, routed by its type (partner
        events on the partner exchange, routed to their partner), in a producer span
        whose context the message carries (not to partners: see `tracing.kernel`)."""
        exchange, routing_key = EVENTS, envelope.event_type
        partner_facing = is_partner_facing(envelope.event_type)
        if partner_facing:
            exchange, routing_key = PARTNERS, partner_routing_key(envelope)
        with publishing(
            envelope, exchange=exchange.name, routing_key=routing_key, partner_facing=partner_facing
        ) as trace_headers:
            await self._send(
                envelope.model_dump_json().encode(),
                exchange=exchange,
                routing_key=routing_key,
                message_id=envelope.event_id,
                correlation_id=envelope.correlation_id,
                message_type=envelope.event_type,
                headers={"x-plut-centre": envelope.centre_id, **trace_headers},
                content_type=JSON,
            )

    async def send_to_queue(
        self, queue: str, body: bytes, *, properties: dict[str, Any], headers: dict[str, Any]
    ) -> None:
        """Put a message onto one of the service's own queues (retry tiers, parking lot)."""
        await self._send(
            body,
            exchange=self._internal,
            routing_key=queue,
            message_id=properties.get("message_id"),
            correlation_id=properties.get("correlation_id"),
            message_type=properties.get("type"),
            headers=headers,
            content_type=properties.get("content_type"),
            content_encoding=properties.get("content_encoding"),
        )

    async def _send(
        self,
        body: bytes,
        *,
        exchange: RabbitExchange | None,
        routing_key: str,
        message_id: str | None,
        correlation_id: str | None,
        message_type: str | None,
        headers: dict[str, Any],
        content_type: str | None,
        content_encoding: str | None = None,
    ) -> None:
        try:
            confirmed = await self._broker.publish(
                body,
                exchange=exchange,
                routing_key=routing_key,
                persist=True,
                mandatory=True,
                timeout=self._timeout,
                message_id=message_id,
                correlation_id=correlation_id,
                message_type=message_type,
                content_type=content_type,
                content_encoding=content_encoding,
                user_id=self._user_id,
                headers=headers,
            )
        except Exception as error:
            raise PublishFailed(f"{routing_key}: {type(error).__name__}: {error}") from error
        # A returned (unroutable) message comes back as the message itself rather
        # than an Ack when on_return_raises is off; only an Ack counts as success.
        if not isinstance(confirmed, Basic.Ack):
            raise PublishFailed(
                f"{routing_key}: broker did not confirm ({type(confirmed).__name__})"
            )
