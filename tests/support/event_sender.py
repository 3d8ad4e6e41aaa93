"""Publish envelopes as the service that owns their type would: as its broker user.

    async with EventSender(service_urls) as sender:
        await sender.publish(envelope)   # registration.* as the registration user, ...

Properties as the kernel's publisher sets them (persistent, mandatory, confirmed,
`message_id` = event id, AMQP `user_id` = the connection's user).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractConnection
from plut_shared.contracts import Envelope
from plut_shared.messaging.trust import owning_service, user_of

EVENTS_EXCHANGE = "plut.events"


class EventSender:
    def __init__(self, service_urls: Mapping[str, str]) -> None:
        self.service_urls = service_urls
        self._open: dict[str, tuple[AbstractConnection, AbstractChannel]] = {}

    async def __aenter__(self) -> EventSender:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for connection, _ in self._open.values():
            await connection.close()
        self._open.clear()

    async def _channel(self, url: str) -> AbstractChannel:
        if url not in self._open:
            connection = await aio_pika.connect(url)
            channel = await connection.channel(publisher_confirms=True)
            self._open[url] = (connection, channel)
        return self._open[url][1]

    async def publish(self, envelope: Envelope, *, as_service: str | None = None) -> None:
        url = self.service_urls[as_service or owning_service(envelope.event_type)]
        await self.publish_raw(
            url,
            envelope.model_dump_json().encode(),
            routing_key=envelope.event_type,
            message_id=envelope.event_id,
            type=envelope.event_type,
            correlation_id=envelope.correlation_id,
        )

    async def publish_raw(self, url: str, body: bytes, *, routing_key: str, **properties) -> None:
        """Any body and properties; `user_id` is the connection's user unless given."""
        properties.setdefault("content_type", "application/json")
        properties.setdefault("user_id", user_of(url))
        properties.setdefault("delivery_mode", aio_pika.DeliveryMode.PERSISTENT)
        channel = await self._channel(url)
        exchange = await channel.get_exchange(EVENTS_EXCHANGE, ensure=False)
        await exchange.publish(
            aio_pika.Message(body, **properties), routing_key=routing_key, mandatory=True
        )
