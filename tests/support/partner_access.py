"""A partner's side of the partner stream in tests: its own connection, queue and replies.

It connects with the URL onboarding gave the partner (`VhostAdmin.partner_url`,
as `plut partners add` prints it) and only looks its queue up (a partner may
declare nothing). Replies are built by the example partner's own helpers.
"""

from __future__ import annotations

import asyncio
import json
import time
from types import TracebackType
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractConnection
from partner_example.replies import REPLIES_EXCHANGE, Reply
from plut_shared.messaging.trust import user_of


class PartnerSession:
    def __init__(self, amqp_url: str, partner_id: str) -> None:
        self.url = amqp_url
        self.partner_id = partner_id
        self.user = user_of(amqp_url)
        self._connection: AbstractConnection | None = None

    async def __aenter__(self) -> PartnerSession:
        self._connection = await aio_pika.connect(self.url)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._connection is not None:
            await self._connection.close()

    async def channel(self) -> AbstractChannel:
        """A fresh channel: the broker closes one on every refused operation."""
        assert self._connection is not None
        return await self._connection.channel(publisher_confirms=True)

    async def next_message(self, timeout: float = 20.0) -> dict[str, Any]:
        """The next message on the partner's own queue, acknowledged, as JSON."""
        channel = await self.channel()
        queue = await channel.get_queue(f"partner.{self.partner_id}.referrals", ensure=False)
        deadline = time.monotonic() + timeout
        while (message := await queue.get(fail=False)) is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"no message for partner {self.partner_id} in {timeout}s")
            await asyncio.sleep(0.05)
        await message.ack()
        await channel.close()
        body: dict[str, Any] = json.loads(message.body)
        body["_routing_key"] = message.routing_key
        return body

    async def publish(
        self, reply: Reply, *, user_id: str | None = None, key: str | None = None
    ) -> None:
        channel = await self.channel()
        exchange = await channel.get_exchange(REPLIES_EXCHANGE, ensure=False)
        message = aio_pika.Message(
            reply.body,
            message_id=reply.event_id,
            type=reply.event_type,
            correlation_id=reply.correlation_id,
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            user_id=user_id or self.user,
        )
        try:
            await exchange.publish(message, routing_key=key or reply.routing_key, mandatory=True)
        finally:
            if not channel.is_closed:
                await channel.close()
