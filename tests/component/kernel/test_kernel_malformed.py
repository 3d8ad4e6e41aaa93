"""Deliveries whatever their bytes and properties end parked with a reason; nothing stalls."""

from __future__ import annotations

from collections.abc import Callable

from plut_shared.messaging.parking import ParkingLot

from tests.support.counter_service import EVENT_TYPE, CounterService, increment_event
from tests.support.event_sender import EventSender
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


async def test_malformed_deliveries_beyond_the_prefetch_are_parked_and_a_valid_event_still_applies(
    start_service: Callable, testkit_url: str, service_urls: dict[str, str]
) -> None:
    service: CounterService = await start_service(prefetch=5)
    kinds = list(MALFORMED) * 3  # more than the prefetch: a stalled consumer would stop here
    async with EventSender(service_urls) as sender:  # as the owner of testkit.* events
        for kind in kinds:
            body, properties = MALFORMED[kind]
            await sender.publish_raw(
                testkit_url, body, routing_key=EVENT_TYPE, message_id=f"bad-{kind}", **properties
            )
    await service.increment("after", 1, amount=7)

    totals = await eventually(
        lambda: service.db.totals.find_one({"_id": "after"}), lambda doc: doc is not None
    )
    assert totals["total"] == 7
    lot = ParkingLot(testkit_url, service.messaging.service)
    parked = await eventually(lot.list, lambda items: len(items) == len(kinds))
    for message in parked:
        assert message.reason == "invalid", message.summary()
        assert message.error_type == "InvalidMessage"
        assert message.error_message
    reasons = {m.message_id: m.error_message for m in parked}
    assert "content type" in reasons["bad-wrong-content-type"]
    assert "content type" in reasons["bad-no-content-type"]
    assert "content encoding" in reasons["bad-compressed"]
    assert reasons["bad-not-json"].startswith("invalid envelope: <root>: Invalid JSON")
    assert "recursion limit exceeded" in reasons["bad-nested-100k"]
    assert "Invalid JSON" in reasons["bad-empty"]
    assert service.behaviour.calls == 1


async def test_an_oversized_body_is_parked_unread(
    start_service: Callable, testkit_url: str, service_urls: dict[str, str]
) -> None:
    service: CounterService = await start_service(max_message_bytes=1_000)
    envelope = increment_event("big", 1)
    body = envelope.model_dump_json().encode()[:-1] + b', "padding": "' + b"x" * 2_000 + b'"}'
    async with EventSender(service_urls) as sender:
        await sender.publish_raw(
            testkit_url, body, routing_key=EVENT_TYPE, message_id=envelope.event_id
        )
    lot = ParkingLot(testkit_url, service.messaging.service)
    [message] = await eventually(lot.list, lambda items: len(items) == 1)
    assert message.error_message == f"body of {len(body)} bytes exceeds 1000"
    assert service.behaviour.calls == 0
