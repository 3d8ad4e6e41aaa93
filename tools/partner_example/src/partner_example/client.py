"""The example partner: takes the referrals routed to it and answers with decisions.

It connects as its own broker user (the credentials `plut partners add`
printed), reads only its queue `partner.<partner_id>.referrals` (it may not
declare anything, so it only looks the queue up), and for each offer approves
up to a limit, rejects above it, and reports the disbursement of an approved
credit. Withdrawal and erasure notices are acknowledged; a real partner stops
work on the referral, or deletes the applicant's data. It logs ids only, never
the applicant's data.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage

from partner_example.replies import REPLIES_EXCHANGE, Reply, decision, disbursement

log = logging.getLogger("partner_example")


@dataclass(frozen=True)
class PartnerConfig:
    amqp_url: str
    partner_id: str
    approve_up_to: int = 100_000_000
    disburse: bool = True

    @property
    def user(self) -> str:
        return unquote(urlsplit(self.amqp_url).username or "")

    @property
    def queue(self) -> str:
        return f"partner.{self.partner_id}.referrals"


class PartnerClient:
    def __init__(self, config: PartnerConfig) -> None:
        self.config = config
        self.handled = 0

    async def run(self, stop: asyncio.Event) -> None:
        connection = await aio_pika.connect_robust(self.config.amqp_url)
        async with connection:
            channel = await connection.channel(publisher_confirms=True)
            await channel.set_qos(prefetch_count=10)
            queue = await channel.get_queue(self.config.queue, ensure=False)
            await queue.consume(lambda message: self.on_message(channel, message))
            log.info("partner %s consuming %s", self.config.partner_id, self.config.queue)
            await stop.wait()

    async def on_message(self, channel: AbstractChannel, message: AbstractIncomingMessage) -> None:
        async with message.process(requeue=True):
            envelope = json.loads(message.body)
            kind = envelope.get("event_type")
            referral_id = envelope.get("payload", {}).get("referral_id")
            if kind == "partner.referral.offered":
                await self.answer(channel, envelope)
            log.info("%s for referral %s handled", kind, referral_id)
            self.handled += 1

    async def answer(self, channel: AbstractChannel, offer: dict) -> None:
        decided = decision(offer, self.config.partner_id, self.config.approve_up_to)
        await self.publish(channel, decided)
        if self.config.disburse and json.loads(decided.body)["payload"]["approved"]:
            await self.publish(channel, disbursement(offer, self.config.partner_id))

    async def publish(self, channel: AbstractChannel, reply: Reply) -> None:
        exchange = await channel.get_exchange(REPLIES_EXCHANGE, ensure=False)
        message = aio_pika.Message(
            reply.body,
            message_id=reply.event_id,
            correlation_id=reply.correlation_id,
            type=reply.event_type,
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            user_id=self.config.user,  # the broker checks it is this connection's user
        )
        await exchange.publish(message, routing_key=reply.routing_key, mandatory=True)
