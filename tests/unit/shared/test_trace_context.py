"""Trace context in and out of carriers, outbox entries, publications and deliveries."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace
from typing import Any

import pytest
from opentelemetry.trace import SpanKind
from plut_shared.contracts import Envelope
from plut_shared.logs import JsonFormatter
from plut_shared.tracing import context_from, continued, current_carrier, current_trace_id
from plut_shared.tracing.kernel import (
    TRACE_CONTEXT,
    consuming,
    from_outbox,
    outbox_entry,
    publishing,
)
from plut_shared.tracing.setup import tracer

from tests.support.spans import (
    RecordedSpans,
    parent_id_of,
    span_id_of,
    trace_id_of,
)

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
PARENT_ID = "b7ad6b7169203331"
TRACEPARENT = f"00-{TRACE_ID}-{PARENT_ID}-01"

MALFORMED: list[Any] = [
    "garbage",
    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",  # no flags
    f"00-{'0' * 32}-{PARENT_ID}-01",  # the all-zero trace id is invalid
    f"00-{TRACE_ID}-{'0' * 16}-01",
    "ff-" + TRACEPARENT[3:],  # version ff is forbidden
    TRACEPARENT + "-" + "x" * 1000,  # oversized
    b"\xff\xfe not ascii",
    12345,
    ["00", TRACE_ID],
    {"nested": TRACEPARENT},
    None,
]


def envelope(event_type: str = "registration.umkm.registered", **payload: Any) -> Envelope:
    return Envelope(
        event_type=event_type,
        producer="registration",
        centre_id="kota-mojokerto",
        subject_id="umkm-1",
        correlation_id="corr-1",
        payload=payload,
    )


def delivery(headers: dict[str, Any], event_type: str = "registration.umkm.registered") -> Any:
    """What `consuming` reads of an aio-pika delivery."""
    return SimpleNamespace(headers=headers, type=event_type, message_id="m-1")


def test_outside_any_span_there_is_no_context_to_carry(spans: RecordedSpans) -> None:
    assert current_carrier() == {}
    assert current_trace_id() is None


def test_the_carrier_names_the_current_span_and_brings_it_back(spans: RecordedSpans) -> None:
    with tracer().start_as_current_span("request") as span:
        carrier = current_carrier()
        trace_id = current_trace_id()
    context = span.get_span_context()
    assert list(carrier) == ["traceparent"]
    assert carrier["traceparent"].startswith(f"00-{trace_id}-{context.span_id:016x}-")
    with tracer().start_as_current_span("later", context=context_from(carrier)):
        pass
    [later] = [s for s in spans.all() if s.name == "later"]
    assert (trace_id_of(later), parent_id_of(later)) == (trace_id, f"{context.span_id:016x}")


@pytest.mark.parametrize("value", MALFORMED, ids=repr)
def test_a_malformed_traceparent_is_ignored_and_a_new_trace_starts(
    spans: RecordedSpans, value: Any
) -> None:
    with continued("work", {"traceparent": value}):
        pass
    [work] = spans.all()
    assert work.parent is None
    assert trace_id_of(work) != TRACE_ID


@pytest.mark.parametrize("carrier", [None, "text", 7, ["traceparent"]], ids=repr)
def test_a_carrier_that_is_no_mapping_gives_an_empty_context(carrier: Any) -> None:
    assert context_from(carrier) == context_from({})


def test_the_outbox_entry_keeps_the_context_next_to_an_unchanged_envelope(
    spans: RecordedSpans,
) -> None:
    event = envelope(umkm_id="umkm-1")
    with tracer().start_as_current_span("request"):
        entry = outbox_entry(event)
        carrier = current_carrier()
    assert entry[TRACE_CONTEXT] == carrier
    assert Envelope.model_validate(entry) == event  # the public contract is untouched
    read_back = from_outbox(entry)
    assert read_back.written_in == carrier
    assert TRACE_CONTEXT not in json.loads(read_back.model_dump_json())


def test_an_event_written_outside_any_span_has_no_stored_context() -> None:
    entry = outbox_entry(envelope())
    assert TRACE_CONTEXT not in entry
    assert from_outbox(entry).written_in == {}


def test_a_publication_is_a_producer_span_under_the_stored_context(spans: RecordedSpans) -> None:
    stored = dict(outbox_entry(envelope()), trace_context={"traceparent": TRACEPARENT})
    with publishing(
        from_outbox(stored),
        exchange="plut.events",
        routing_key="registration.umkm.registered",
        partner_facing=False,
    ) as headers:
        pass
    [publish] = spans.all()
    assert publish.kind is SpanKind.PRODUCER
    assert (trace_id_of(publish), parent_id_of(publish)) == (TRACE_ID, PARENT_ID)
    assert list(headers) == ["traceparent"]
    assert headers["traceparent"].startswith(f"00-{TRACE_ID}-{span_id_of(publish)}-")


def test_a_publication_to_a_partner_carries_no_trace_headers(spans: RecordedSpans) -> None:
    stored = dict(outbox_entry(envelope("partner.referral.offered")), trace_context={})
    with publishing(
        from_outbox(stored),
        exchange="plut.partners",
        routing_key="partner.bank-jatim.referral.offered",
        partner_facing=True,
    ) as headers:
        pass
    assert headers == {}
    assert [span.name for span in spans.all()] == ["publish partner.referral.offered"]


def test_a_delivery_is_consumed_in_a_child_of_its_traceparent(spans: RecordedSpans) -> None:
    with consuming(delivery({"traceparent": TRACEPARENT}), "notifications.events"):
        handler_context = current_carrier()
    [consume] = spans.all()
    assert consume.kind is SpanKind.CONSUMER
    assert consume.name == "process notifications.events"
    assert (trace_id_of(consume), parent_id_of(consume)) == (TRACE_ID, PARENT_ID)
    # What the handler writes carries the consumer span on.
    assert handler_context["traceparent"].startswith(f"00-{TRACE_ID}-{span_id_of(consume)}-")


def test_a_traceparent_from_a_partner_is_not_believed(spans: RecordedSpans) -> None:
    reply = delivery({"traceparent": TRACEPARENT}, event_type="partner.referral.decided")
    with consuming(reply, "financing.partner-replies"):
        pass
    [consume] = spans.all()
    assert consume.parent is None and trace_id_of(consume) != TRACE_ID


@pytest.mark.parametrize("value", MALFORMED, ids=repr)
def test_a_delivery_with_a_malformed_traceparent_starts_a_new_trace(
    spans: RecordedSpans, value: Any
) -> None:
    with consuming(delivery({"traceparent": value, "tracestate": value}), "q"):
        pass
    [consume] = spans.all()
    assert consume.parent is None and trace_id_of(consume) != TRACE_ID


def test_a_log_record_inside_a_span_carries_its_trace_id(spans: RecordedSpans) -> None:
    formatter = JsonFormatter("registration")

    def logged() -> dict[str, Any]:
        record = logging.LogRecord("t", logging.INFO, __file__, 1, "event applied", None, None)
        return dict(json.loads(formatter.format(record)))

    with continued("work", {"traceparent": TRACEPARENT}):
        inside = logged()
    assert inside["trace_id"] == TRACE_ID
    assert "trace_id" not in logged()
