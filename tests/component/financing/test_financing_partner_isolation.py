"""The partner stream is isolated by the broker itself, and replies are checked by financing.

Partner A (`bank-jatim`) and partner B (`bri`) are onboarded as the operator
command does; every refusal below comes from RabbitMQ's permissions, topic
permissions or `user_id` check, except the last line of defence: a reply that
the broker lets through (A answering as itself) for a referral routed to B.
"""

from __future__ import annotations

import json

import aio_pika
import pytest
from aio_pika import ExchangeType
from aiormq.exceptions import ChannelAccessRefused, ChannelPreconditionFailed
from partner_example.replies import decision, reply_to
from plut_shared.messaging.parking import ParkingLot

from tests.component.financing.service import FinancingRun
from tests.component.notifications.service import BrokerAccess
from tests.support.partner_access import PartnerSession
from tests.support.waiting import eventually

A, B = "bank-jatim", "bri"


async def test_a_partner_cannot_consume_another_partners_queue_or_internal_queues(onboard) -> None:
    url, _ = onboard(A), onboard(B)
    async with PartnerSession(url, A) as partner:
        for queue_name in (f"partner.{B}.referrals", "financing.events", "financing.parking"):
            channel = await partner.channel()
            queue = await channel.get_queue(queue_name, ensure=False)
            with pytest.raises(ChannelAccessRefused):
                await queue.get(fail=False)


async def test_a_partner_cannot_declare_queues_or_exchanges_nor_bind_to_any_exchange(
    onboard,
) -> None:
    url = onboard(A)
    async with PartnerSession(url, A) as partner:
        with pytest.raises(ChannelAccessRefused):
            await (await partner.channel()).declare_queue(exclusive=True)  # to tap plut.events
        with pytest.raises(ChannelAccessRefused):
            await (await partner.channel()).declare_exchange("mine", ExchangeType.FANOUT)
        for exchange_name, key in (("plut.partners", "partner.#"), ("plut.events", "#")):
            channel = await partner.channel()
            own = await channel.get_queue(f"partner.{A}.referrals", ensure=False)
            with pytest.raises(ChannelAccessRefused):
                await own.bind(exchange_name, routing_key=key)


async def test_a_partner_cannot_publish_as_another_partner_nor_on_internal_exchanges(
    financing: FinancingRun, onboard, vhost_admin
) -> None:
    url, _ = onboard(A), onboard(B)
    offer = {
        "event_id": "e",
        "centre_id": "batu",
        "correlation_id": "c",
        "payload": {"referral_id": "r", "amount": 1},
    }
    as_b = decision(offer, B, approve_up_to=10)
    async with PartnerSession(url, A) as partner:
        with pytest.raises(ChannelPreconditionFailed, match="user_id"):
            # A's own routing key, B's user_id: the broker checks user_id against the login.
            await partner.publish(
                as_b, user_id=vhost_admin.partner_user(B), key=f"partner.{A}.referral.decided"
            )
        with pytest.raises(ChannelAccessRefused):
            await partner.publish(as_b)  # its own user, but B's routing key
        channel = await partner.channel()
        events = await channel.get_exchange("plut.events", ensure=False)
        with pytest.raises(ChannelAccessRefused):
            await events.publish(
                aio_pika.Message(b"{}", user_id=partner.user), "registration.umkm.erased"
            )
    assert await financing.db.referrals.count_documents({}) == 0


async def test_a_decision_for_a_referral_routed_elsewhere_changes_nothing_and_is_parked(
    financing: FinancingRun, onboard, fin_broker: BrokerAccess, vhost_admin
) -> None:
    url_a, url_b = onboard(A), onboard(B)
    referral = await financing.refer(await financing.register())
    assert referral["partner_id"] == A
    async with PartnerSession(url_a, A) as partner_a, PartnerSession(url_b, B) as partner_b:
        offer = await partner_a.next_message()
        await partner_b.publish(decision(offer, B, approve_up_to=10**12))  # B answers for A's
        pretending = reply_to(
            offer, A, "decided", {"referral_id": referral["referral_id"], "approved": True}
        )
        await partner_b.publish(pretending, key=f"partner.{B}.referral.decided")  # producer says A
    lot = ParkingLot(fin_broker.admin_url, "financing")
    parked = await eventually(lot.list, lambda items: len(items) == 2)
    reasons = sorted(message.error_message for message in parked)
    assert reasons == [
        f"a reply from partner {A} is accepted only from broker user "
        f"{vhost_admin.partner_user(A)}, not from {vhost_admin.partner_user(B)}",
        f"referral {referral['referral_id']} was routed to {A}, not to {B}",
    ]
    stored = await financing.referral(referral["referral_id"])
    assert stored["status"] == "forwarded" and len(stored["history"]) == 2


async def test_internal_services_never_hold_or_use_a_partners_credentials(
    financing: FinancingRun, onboard, fin_broker: BrokerAccess
) -> None:
    url = onboard(A)
    password = url.split("@")[0].rsplit(":", 1)[1]
    await financing.refer(await financing.register())
    settings = financing.app.state.host.settings.model_dump_json()
    documents = [
        await financing.db[name].find().to_list()
        for name in await financing.db.list_collection_names()
    ]
    assert password not in settings and password not in json.dumps(documents, default=str)
    # Nor can a service read a partner's queue with its own user.
    async with PartnerSession(fin_broker.service_urls["financing"], A) as as_financing:
        queue = await (await as_financing.channel()).get_queue(
            f"partner.{A}.referrals", ensure=False
        )
        with pytest.raises(ChannelAccessRefused):
            await queue.get(fail=False)


async def test_only_financing_writes_to_partners_and_no_service_writes_partner_replies(
    fin_broker: BrokerAccess, onboard
) -> None:
    onboard(A)
    cases = [
        ("registration", "plut.partners", f"partner.{A}.referral.offered"),
        ("notifications", "plut.partners", f"partner.{A}.referral.offered"),
        ("financing", "plut.partner-replies", f"partner.{A}.referral.decided"),
        ("financing", "plut.partners", "registration.umkm.erased"),  # topic: `partner.*` only
    ]
    for service, exchange_name, key in cases:
        async with PartnerSession(fin_broker.service_urls[service], A) as as_service:
            channel = await as_service.channel()
            exchange = await channel.get_exchange(exchange_name, ensure=False)
            message = aio_pika.Message(b"{}", user_id=as_service.user)
            with pytest.raises(ChannelAccessRefused):
                await exchange.publish(message, key)
