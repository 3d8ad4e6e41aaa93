"""One registration is one trace: HTTP request, relay publish, each consumer, the welcome send.

Registration, training and notifications run as their real ASGI apps against
the real broker and store; the spans are recorded in memory by the SDK.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pytest
from notifications.domain.clock import JAKARTA
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind

from tests.component.registration.examples import auth, registration
from tests.e2e.three_services import Platform
from tests.support.event_probe import EventProbe
from tests.support.spans import (
    RecordedSpans,
    attribute_values,
    named,
    parent_id_of,
    span_id_of,
    trace_id_of,
)


@pytest.fixture
def start() -> datetime:
    return datetime(2026, 11, 10, 10, 0, tzinfo=JAKARTA)  # daytime: WhatsApp goes at once


def one(spans: Sequence[ReadableSpan], name: str) -> ReadableSpan:
    [found] = [span for span in spans if span.name == name]
    return found


async def test_a_registration_is_followed_in_one_trace_from_the_request_to_the_welcome(
    platform: Platform, spans: RecordedSpans, three_services_broker
) -> None:
    body = registration(preferred_channel="whatsapp")
    async with EventProbe(three_services_broker.admin_url, ["registration.umkm.#"]) as probe:
        created = await platform.registration.post(
            "/enterprises", json=body, headers=auth("officer")
        )
        assert created.status_code == 201, created.text
        [event] = await probe.wait_for(lambda e: e.subject_id == created.json()["umkm_id"])
    request = one(spans.all(), "POST /enterprises")
    trace_id = trace_id_of(request)
    [send] = await spans.wait_for(named("send welcome", trace_id))
    await spans.wait_for(named("process training.events", trace_id))
    [delivered] = await spans.wait_for(named("publish notifications.message.delivered", trace_id))

    trace = spans.of_trace(trace_id)
    publish = one(trace, "publish registration.umkm.registered")
    consumed = one(trace, "process notifications.events")
    assert (request.kind, publish.kind, consumed.kind) == (
        SpanKind.SERVER,
        SpanKind.PRODUCER,
        SpanKind.CONSUMER,
    )
    assert parent_id_of(publish) == span_id_of(request)
    assert parent_id_of(consumed) == span_id_of(publish)
    assert parent_id_of(one(trace, "process training.events")) == span_id_of(publish)
    assert parent_id_of(send) == span_id_of(consumed)
    assert parent_id_of(delivered) == span_id_of(send)
    # The context crossed the broker in the message's header, not in the envelope.
    traceparent = probe.headers[event.event_id]["traceparent"]
    assert traceparent.startswith(f"00-{trace_id}-{span_id_of(publish)}-")
    assert "trace" not in event.model_dump_json()
    assert publish.attributes is not None
    assert publish.attributes["messaging.message.id"] == event.event_id
    assert publish.attributes["plut.centre_id"] == body["centre_id"]

    # An officer finds the trace from the owner's message log.
    umkm_id = created.json()["umkm_id"]
    [message] = await platform.messages(umkm_id)
    assert message["trace_id"] == trace_id

    personal = [body[field] for field in ("nik", "nib", "owner_name", "email", "business_name")]
    personal += [body["phone"], created.json()["owner"]["phone"]]
    values = attribute_values(trace)
    assert values and not [value for value in values for item in personal if item in value]
