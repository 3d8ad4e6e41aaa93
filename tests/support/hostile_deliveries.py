"""Hypothesis strategies for malformed and hostile deliveries to the counter test service.

Each `HostileDelivery` is a body, AMQP properties and a routing key the test
service's queue is bound to (`testkit.counter.*`), labelled with what was done
to it so a failure names the kind. Kinds: random bytes, random JSON, and valid
envelopes with one mutation (missing, wrong-typed, oversized or unknown fields,
bad ids, payload changes), under random content types, encodings, publishers
and headers (including the kernel's own header names).
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st
from plut_shared.messaging import headers as h

from tests.support.counter_service import EVENT_TYPE, increment_event

ENVELOPE_FIELDS = (
    "event_id",
    "event_type",
    "schema_version",
    "occurred_at",
    "producer",
    "centre_id",
    "subject_id",
    "correlation_id",
    "payload",
)
PAYLOAD_FIELDS = ("counter_id", "seq", "amount")
OVERSIZED = 25_000  # characters; the test service parks bodies over 20,000 bytes


@dataclass(frozen=True)
class HostileDelivery:
    kind: str
    body: bytes
    routing_key: str
    properties: dict[str, Any] = field(default_factory=dict)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)


@st.composite
def mutated_envelopes(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    counter = draw(st.text(min_size=1, max_size=12))
    envelope = increment_event(counter, draw(st.integers(1, 5)), draw(st.integers(-3, 10)))
    data = envelope.model_dump(mode="json")
    mutation = draw(
        st.sampled_from(
            ["none", "drop", "wrong-type", "unknown-field", "oversized", "bad-id", "payload"]
        )
    )
    if mutation == "drop":
        del data[draw(st.sampled_from(ENVELOPE_FIELDS))]
    elif mutation == "wrong-type":
        data[draw(st.sampled_from(ENVELOPE_FIELDS))] = draw(json_values)
    elif mutation == "unknown-field":
        data[draw(st.text(min_size=1, max_size=10))] = draw(json_values)
    elif mutation == "oversized":
        data[draw(st.sampled_from(("centre_id", "subject_id", "producer")))] = "x" * OVERSIZED
    elif mutation == "bad-id":
        data["event_id"] = draw(st.text(max_size=40))
    elif mutation == "payload":
        payload = data["payload"]
        target = draw(st.sampled_from(PAYLOAD_FIELDS))
        if draw(st.booleans()):
            payload[target] = draw(json_values)
        else:
            del payload[target]
        payload.update(draw(st.dictionaries(st.text(max_size=8), json_values, max_size=2)))
    return f"envelope-{mutation}", data


@st.composite
def bodies(draw: st.DrawFn) -> tuple[str, bytes, str | None]:
    """(kind, body, the event id it claims if any)."""
    choice = draw(st.sampled_from(["bytes", "json", "envelope", "envelope", "envelope"]))
    if choice == "bytes":
        return "random-bytes", draw(st.binary(max_size=300)), None
    if choice == "json":
        return "random-json", json.dumps(draw(json_values)).encode(), None
    kind, data = draw(mutated_envelopes())
    claimed = data.get("event_id")
    return kind, json.dumps(data).encode(), claimed if isinstance(claimed, str) else None


header_names = st.sampled_from(sorted(h.KERNEL_HEADERS)) | st.text(
    alphabet=string.ascii_letters + "-", min_size=1, max_size=10
)
header_values = st.text(max_size=20) | st.integers(-1000, 1000) | st.booleans()


@st.composite
def hostile_deliveries(draw: st.DrawFn) -> HostileDelivery:
    kind, body, claimed_id = draw(bodies())
    same_id = (
        claimed_id is not None and len(claimed_id.encode()) <= 200 and draw(st.integers(0, 3)) > 0
    )
    message_id = claimed_id if same_id else draw(st.none() | st.text(max_size=40))
    properties: dict[str, Any] = {
        "message_id": message_id,
        "content_type": draw(
            st.sampled_from(["application/json"] * 6 + ["text/plain", None, "APPLICATION/JSON"])
        ),
        "content_encoding": draw(st.sampled_from([None] * 6 + ["gzip", "utf-8"])),
        "headers": draw(st.dictionaries(header_names, header_values, max_size=3)),
    }
    if draw(st.integers(0, 9)) == 0:
        properties["user_id"] = None  # published without saying who: parked
    routing_key = draw(st.sampled_from([EVENT_TYPE] * 4 + ["testkit.counter.exploded"]))
    return HostileDelivery(kind, body, routing_key, properties)
