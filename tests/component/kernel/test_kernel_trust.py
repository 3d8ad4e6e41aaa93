"""Consumers accept an event only from the broker user of the service that owns its type.

The broker enforces who may publish what (topic permissions, the `user_id`
check, no writes to the default exchange or another service's exchange); the
consumer checks the verified publisher, the ids and the event type, and parks
what fails with a reason.
"""

from __future__ import annotations

from collections.abc import Callable

import aio_pika
import pytest
from aiormq.exceptions import ChannelAccessRefused, ChannelPreconditionFailed
from plut_shared.contracts import Envelope
from plut_shared.messaging import PublishFailed
from plut_shared.messaging import headers as h
from plut_shared.messaging.parking import ParkingLot

from tests.support.counter_service import EVENT_TYPE, Behaviour, CounterService, increment_event
from tests.support.event_sender import EventSender
from tests.support.waiting import eventually


def body_of(envelope: Envelope, *, drop: str | None = None) -> bytes:
    data = envelope.model_dump(mode="json")
    if drop:
        del data[drop]
    return Envelope.model_validate(data).model_dump_json(exclude={drop} if drop else None).encode()


async def parked(lot: ParkingLot, count: int) -> list:
    return await eventually(lot.list, lambda items: len(items) == count)


async def test_a_service_user_cannot_publish_another_services_event_type(
    service_urls: dict[str, str],
) -> None:
    async with EventSender(service_urls) as sender:
        with pytest.raises(ChannelAccessRefused, match=r"testkit\.counter\.incremented"):
            await sender.publish(increment_event("x", 1), as_service="registration")


async def test_a_refused_publish_is_a_failure_and_the_service_goes_on_consuming(
    start_service: Callable,
) -> None:
    service: CounterService = await start_service()
    foreign = increment_event("x", 1).model_copy(update={"event_type": "registration.umkm.erased"})
    with pytest.raises(PublishFailed, match="ACCESS_REFUSED"):
        await service.messaging.publisher.publish_event(foreign)
    # The broker closed the channel; it reopens, and publishing and consuming resume.
    await service.increment("after-refusal", 1, amount=3)
    totals = await eventually(
        lambda: service.db.totals.find_one({"_id": "after-refusal"}), lambda d: d is not None
    )
    assert totals["total"] == 3


async def test_a_forged_user_id_is_refused_by_the_broker(
    service_urls: dict[str, str], vhost_admin
) -> None:
    envelope = increment_event("x", 1)
    async with EventSender(service_urls) as sender:
        with pytest.raises(ChannelPreconditionFailed, match="user_id"):
            await sender.publish_raw(
                service_urls["testkit"],
                body_of(envelope),
                routing_key=EVENT_TYPE,
                message_id=envelope.event_id,
                user_id=vhost_admin.broker_user("registration"),
            )


async def test_an_event_from_a_user_that_does_not_own_its_type_is_parked(
    start_service: Callable, amqp_url: str, service_urls: dict[str, str], vhost_admin
) -> None:
    service: CounterService = await start_service()
    by_admin, anonymous = increment_event("t1", 1), increment_event("t2", 1)
    async with EventSender(service_urls) as sender:
        # The administrator may publish anything, but it is not the owner of testkit.*.
        await sender.publish_raw(
            amqp_url, body_of(by_admin), routing_key=EVENT_TYPE, message_id=by_admin.event_id
        )
        await sender.publish_raw(
            amqp_url,
            body_of(anonymous),
            routing_key=EVENT_TYPE,
            message_id=anonymous.event_id,
            user_id=None,
        )
    lot = ParkingLot(amqp_url, service.messaging.service)
    messages = {m.message_id: m for m in await parked(lot, 2)}
    owner = vhost_admin.broker_user("testkit")
    assert messages[by_admin.event_id].error_message == (
        f"{EVENT_TYPE} is accepted only from broker user {owner}, not from guest"
    )
    assert "not from a publisher without user_id" in messages[anonymous.event_id].error_message
    assert all(m.reason == "invalid" for m in messages.values())
    assert service.behaviour.calls == 0


async def test_an_event_without_its_own_id_is_parked_each_time_and_never_applied(
    start_service: Callable, testkit_url: str, service_urls: dict[str, str]
) -> None:
    service: CounterService = await start_service()
    envelope = increment_event("no-id", 1)
    async with EventSender(service_urls) as sender:
        for _ in range(2):  # the same event twice: without an id it cannot be deduplicated
            await sender.publish_raw(
                testkit_url,
                body_of(envelope, drop="event_id"),
                routing_key=EVENT_TYPE,
                message_id=envelope.event_id,
            )
        await sender.publish_raw(
            testkit_url, body_of(envelope), routing_key=EVENT_TYPE, message_id="another-id"
        )
    lot = ParkingLot(testkit_url, service.messaging.service)
    reasons = sorted(m.error_message for m in await parked(lot, 3))
    assert reasons == [
        "AMQP message_id differs from the envelope's event_id",
        "event_id is missing",
        "event_id is missing",
    ]
    assert service.behaviour.calls == 0
    assert await service.db.totals.find_one({"_id": "no-id"}) is None


async def test_an_unknown_event_type_under_a_bound_routing_key_is_parked(
    start_service: Callable, testkit_url: str, service_urls: dict[str, str]
) -> None:
    service: CounterService = await start_service()
    unknown = increment_event("u", 1).model_copy(update={"event_type": "testkit.counter.exploded"})
    async with EventSender(service_urls) as sender:
        await sender.publish(unknown)
    [message] = await parked(ParkingLot(testkit_url, service.messaging.service), 1)
    assert message.error_message == "no contract for testkit.counter.exploded v1"
    assert message.reason == "invalid"


async def test_the_retry_path_keeps_the_verified_publisher(
    start_service: Callable, service_urls: dict[str, str], vhost_admin
) -> None:
    # A consumer that does not own the events it consumes (as notifications is for
    # registration events): its retries are re-published under its own user.
    recovering = Behaviour(failures_left=3)
    service: CounterService = await start_service(recovering, user="testsink")
    async with EventSender(service_urls) as sender:
        await sender.publish(increment_event("recovered", 1, amount=2))
        totals = await eventually(
            lambda: service.db.totals.find_one({"_id": "recovered"}), lambda d: d is not None
        )
        assert totals["total"] == 2  # accepted after a delayed retry: the owner was kept
        assert recovering.calls == 4

        recovering.always_fail = True
        envelope = increment_event("parked-then-replayed", 1, amount=5)
        await sender.publish(envelope)
        lot = ParkingLot(service_urls["testsink"], service.messaging.service)
        [message] = await parked(lot, 1)
    assert message.reason == "retries-exhausted"
    assert message.headers[h.VERIFIED_PUBLISHER] == vhost_admin.broker_user("testkit")
    recovering.always_fail = False
    assert await lot.replay(envelope.event_id)
    totals = await eventually(
        lambda: service.db.totals.find_one({"_id": "parked-then-replayed"}),
        lambda d: d is not None,
    )
    assert totals["total"] == 5


async def test_no_other_user_can_put_a_message_on_a_services_own_queues(
    start_service: Callable, service_urls: dict[str, str]
) -> None:
    service: CounterService = await start_service()
    name = service.messaging.service
    connection = await aio_pika.connect(service_urls["registration"])
    try:
        for exchange, routing_key in (("", f"{name}.counters"), (f"{name}.internal", "")):
            channel = await connection.channel(publisher_confirms=True)
            target = await channel.get_exchange(exchange, ensure=False) if exchange else None
            message = aio_pika.Message(b"{}", headers={h.VERIFIED_PUBLISHER: "plut-testkit"})
            with pytest.raises(ChannelAccessRefused):
                await (target or channel.default_exchange).publish(
                    message, routing_key=routing_key or f"{name}.counters"
                )
    finally:
        await connection.close()


async def test_a_verified_publisher_header_from_anyone_else_is_ignored(
    start_service: Callable, amqp_url: str, service_urls: dict[str, str], vhost_admin
) -> None:
    service: CounterService = await start_service()
    forged = increment_event("forged", 1)
    async with EventSender(service_urls) as sender:
        await sender.publish_raw(
            amqp_url,
            body_of(forged),
            routing_key=EVENT_TYPE,
            message_id=forged.event_id,
            headers={h.VERIFIED_PUBLISHER: vhost_admin.broker_user("testkit")},
        )
    [message] = await parked(ParkingLot(amqp_url, service.messaging.service), 1)
    assert message.error_message.endswith("not from guest")
    assert message.headers[h.VERIFIED_PUBLISHER] == "guest"
    assert service.behaviour.calls == 0
