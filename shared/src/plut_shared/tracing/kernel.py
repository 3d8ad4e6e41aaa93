"""Trace context through the messaging kernel: outbox, publish, consume (README, "Traces").

- An event is written with its aggregate during a request or a handler and
  published later by the relay in another task. So the outbox entry keeps the
  writer's trace context in a field of its own next to the envelope
  (`trace_context`): the envelope, the public contract, never carries it.
- The relay publishes each event in a producer span, a child of that stored
  context, and the message carries it on in a W3C `traceparent` header.
  Messages for partners (`plut.partners`) carry none: internal ids stay inside.
- A consumer runs the handler in a consumer span, a child of the delivery's
  `traceparent`, so the events the handler writes carry the trace on. Context
  arriving with a partner's reply is not believed (a new trace starts), and a
  malformed one is ignored; neither stops the message.

Span attributes are ids, event types and the centre only, never payload fields.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any

from aio_pika.abc import AbstractIncomingMessage
from opentelemetry.context import Context
from opentelemetry.trace import Span, SpanKind
from pydantic import PrivateAttr

from plut_shared.contracts import Envelope
from plut_shared.tracing.carriers import context_from, current_carrier
from plut_shared.tracing.setup import started

# The stored outbox entry's field next to the envelope's fields.
TRACE_CONTEXT = "trace_context"
# Header values from outside are cut to this before they become attributes.
MAX_ATTRIBUTE_CHARS = 100
Attributes = Mapping[str, str | int | bool]


class OutboxEvent(Envelope):
    """An envelope read back from an outbox, with the trace context it was written in."""

    _trace_context: dict[str, str] = PrivateAttr(default_factory=dict)

    @property
    def written_in(self) -> dict[str, str]:
        """The trace context of the request or handler that wrote the event ({} if none)."""
        return self._trace_context


def outbox_entry(event: Envelope) -> dict[str, Any]:
    """An event as an outbox stores it: its envelope, and the current trace context."""
    entry = event.model_dump(mode="json")
    carrier = current_carrier()
    if carrier:
        entry[TRACE_CONTEXT] = carrier
    return entry


def from_outbox(entry: Mapping[str, Any]) -> OutboxEvent:
    """The event of a stored entry (its envelope ignores the extra field)."""
    event = OutboxEvent.model_validate(entry)
    stored = entry.get(TRACE_CONTEXT)
    if isinstance(stored, Mapping):
        event._trace_context = {str(key): str(value) for key, value in stored.items()}
    return event


@contextlib.contextmanager
def publishing(
    envelope: Envelope, *, exchange: str, routing_key: str, partner_facing: bool
) -> Iterator[dict[str, str]]:
    """A producer span around one publish; yields the trace headers the message carries."""
    parent = envelope.written_in if isinstance(envelope, OutboxEvent) else None
    attributes = {
        **_messaging("send", exchange, envelope.event_id, envelope.event_type),
        "messaging.rabbitmq.destination.routing_key": routing_key,
        "plut.centre_id": envelope.centre_id,
        "plut.subject_id": envelope.subject_id,
    }
    with continued(
        f"publish {envelope.event_type}", parent, kind=SpanKind.PRODUCER, attributes=attributes
    ):
        yield {} if partner_facing else current_carrier()


@contextlib.contextmanager
def consuming(raw: AbstractIncomingMessage, queue: str) -> Iterator[Span]:
    """A consumer span around one delivery, continuing its publisher's trace if believed."""
    event_type = _cut(raw.type)
    parent = Context() if _from_partner(event_type) else context_from(raw.headers)
    with started(
        f"process {queue}",
        context=parent,
        kind=SpanKind.CONSUMER,
        attributes=_messaging("process", queue, _cut(raw.message_id), event_type),
    ) as span:
        yield span


@contextlib.contextmanager
def continued(
    name: str,
    carrier: Mapping[str, Any] | None,
    *,
    kind: SpanKind = SpanKind.INTERNAL,
    attributes: Attributes | None = None,
) -> Iterator[Span]:
    """A span, current while the block runs, continuing the trace `carrier` names.

    Without a usable carrier it continues the current span, or starts a new trace.
    """
    context = context_from(carrier) if carrier else None
    with started(name, context=context, kind=kind, attributes=attributes) as span:
        yield span


def _messaging(operation: str, destination: str, message_id: str, event_type: str) -> Attributes:
    return {
        "messaging.system": "rabbitmq",
        "messaging.operation.type": operation,
        "messaging.destination.name": destination,
        "messaging.message.id": message_id,
        "plut.event_type": event_type,
    }


def _from_partner(event_type: str) -> bool:
    # Imported here: the kernel imports this module while it loads.
    from plut_shared.messaging.partners import is_partner_facing

    return is_partner_facing(event_type)


def _cut(value: str | None) -> str:
    return (value or "")[:MAX_ATTRIBUTE_CHARS]
