"""Trace context travels with events through the outbox, the broker and retries; a
malformed `traceparent` on a delivery starts a new trace and never stops the event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from opentelemetry.trace import SpanKind
from plut_shared.messaging.parking import ParkingLot
from plut_shared.tracing.setup import tracer

from tests.support.counter_service import EVENT_TYPE, Behaviour, CounterService, increment_event
from tests.support.event_sender import EventSender
from tests.support.spans import RecordedSpans, parent_id_of, span_id_of, trace_id_of
from tests.support.waiting import eventually

FOREIGN_TRACE = "0af7651916cd43dd8448eb211c80319c"

# Header values a delivery may carry (AMQP tables hold more than strings).
MALFORMED: dict[str, Any] = {
    "garbage": "garbage",
    "zero-trace": f"00-{'0' * 32}-b7ad6b7169203331-01",
    "oversized": f"00-{FOREIGN_TRACE}-b7ad6b7169203331-01" + "-x" * 600,
    "not-ascii": "00-ünïcode",
    "number": 12345,
    "table": {"traceparent": f"00-{FOREIGN_TRACE}-b7ad6b7169203331-01"},
    "list": [f"00-{FOREIGN_TRACE}-b7ad6b7169203331-01"],
}


async def test_an_event_written_in_a_span_is_published_and_consumed_in_its_trace(
    start_service: Callable, spans: RecordedSpans
) -> None:
    service: CounterService = await start_service()
    with tracer().start_as_current_span("command") as command:
        await service.increment("traced", 1, amount=3)
    trace_id = f"{command.get_span_context().trace_id:032x}"

    [consumed] = await spans.wait_for(
        lambda s: s.kind is SpanKind.CONSUMER and trace_id_of(s) == trace_id
    )
    [published] = [s for s in spans.of_trace(trace_id) if s.kind is SpanKind.PRODUCER]
    assert published.name == f"publish {EVENT_TYPE}"
    assert parent_id_of(published) == f"{command.get_span_context().span_id:016x}"
    assert parent_id_of(consumed) == span_id_of(published)
    assert service.behaviour.applied


async def test_a_retried_event_stays_in_its_trace(
    start_service: Callable, spans: RecordedSpans
) -> None:
    # Two immediate attempts fail, so the event takes a delayed retry queue and comes back.
    service: CounterService = await start_service(Behaviour(failures_left=2))
    with tracer().start_as_current_span("command") as command:
        await service.increment("retried", 1)
    trace_id = f"{command.get_span_context().trace_id:032x}"

    consumed = await spans.wait_for(
        lambda s: s.kind is SpanKind.CONSUMER and trace_id_of(s) == trace_id, count=2
    )
    [published] = [s for s in spans.of_trace(trace_id) if s.kind is SpanKind.PRODUCER]
    assert {parent_id_of(span) for span in consumed} == {span_id_of(published)}
    assert service.behaviour.completed == 1


async def test_a_delivery_with_a_malformed_traceparent_is_applied_in_a_new_trace(
    start_service: Callable, testkit_url: str, service_urls: dict[str, str], spans: RecordedSpans
) -> None:
    service: CounterService = await start_service()
    sent = {kind: increment_event(f"bad-trace-{kind}", 1, amount=2) for kind in MALFORMED}
    async with EventSender(service_urls) as sender:
        for kind, envelope in sent.items():
            await sender.publish_raw(
                testkit_url,
                envelope.model_dump_json().encode(),
                routing_key=EVENT_TYPE,
                message_id=envelope.event_id,
                type=EVENT_TYPE,
                headers={"traceparent": MALFORMED[kind], "tracestate": MALFORMED[kind]},
            )

    async def applied() -> list[Any]:
        return await service.db.totals.find({"_id": {"$regex": "^bad-trace-"}}).to_list()

    totals = await eventually(applied, lambda found: len(found) == len(MALFORMED))
    assert {doc["_id"]: doc["total"] for doc in totals} == {
        envelope.subject_id: 2 for envelope in sent.values()
    }
    ids = {envelope.event_id for envelope in sent.values()}
    consumed = await spans.wait_for(
        lambda s: (
            s.kind is SpanKind.CONSUMER and (s.attributes or {}).get("messaging.message.id") in ids
        ),
        count=len(ids),
    )
    assert all(span.parent is None for span in consumed)
    assert FOREIGN_TRACE not in {trace_id_of(span) for span in consumed}
    assert await ParkingLot(testkit_url, service.messaging.service).list() == []
