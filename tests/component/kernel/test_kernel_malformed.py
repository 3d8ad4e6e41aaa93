"""Deliveries whatever their bytes and properties end parked with a reason; nothing stalls."""

from __future__ import annotations

from collections.abc import Callable

import aio_pika
from plut_shared.messaging.parking import ParkingLot

from tests.support.counter_service import EVENT_TYPE, CounterService, increment_event
from tests.support.waiting import eventually

VALID = increment_event("ok", 1).model_dump_json().encode()

# body, AMQP properties; content_type is application/json unless a case says otherwise.
MALFORMED: dict[str, tuple[bytes, dict]] = {
    "not-json": (b"\xff not json", {}),
    "empty": (b"", {}),
    "invalid-utf8": (b'{"event_id": "\xff\xfe"}', {}),
    "nested-100k": (b"[" * 100_000 + b"]" * 100_000, {}),
    "text-invalid-utf8": (b"\xff\xfe", {"content_type": "text/plain"}),
    "wrong-content-type": (VALID, {"content_type": "application/xml"}),
    "no-content-type": (VALID, {"content_type": None}),
    "compressed": (VALID, {"content_encoding": "gzip"}),
}


async def publish_raw(amqp_url: str, body: bytes, **properties) -> None:
    properties.setdefault("content_type", "application/json")
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange("plut.events")
        await exchange.publish(
            aio_pika.Message(body, **properties), routing_key=EVENT_TYPE, mandatory=True
        )
    finally:
        await connection.close()


async def test_malformed_deliveries_beyond_the_prefetch_are_parked_and_a_valid_event_still_applies(
    start_service: Callable, amqp_url: str
) -> None:
    service: CounterService = await start_service(prefetch=5)
    kinds = list(MALFORMED) * 3  # more than the prefetch: a stalled consumer would stop here
    for kind in kinds:
        body, properties = MALFORMED[kind]
        await publish_raw(amqp_url, body, message_id=f"bad-{kind}", **properties)
    await service.increment("after", 1, amount=7)

    totals = await eventually(
        lambda: service.db.totals.find_one({"_id": "after"}), lambda doc: doc is not None
    )
    assert totals["total"] == 7
    lot = ParkingLot(amqp_url, service.messaging.service)
    parked = await eventually(lot.list, lambda items: len(items) == len(kinds))
    for message in parked:
        assert message.reason == "invalid", message.summary()
        assert message.error_type == "InvalidMessage"
        assert message.error_message
    reasons = {m.message_id: m.error_message for m in parked}
    assert "content type" in reasons["bad-wrong-content-type"]
    assert "content type" in reasons["bad-no-content-type"]
    assert "content encoding" in reasons["bad-compressed"]
    assert "JSON" in reasons["bad-not-json"] or "json" in reasons["bad-not-json"]
    assert service.behaviour.calls == 1
