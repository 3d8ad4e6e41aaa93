"""W3C trace context in and out of message headers and stored records (README, "Traces").

A carrier is the small mapping the W3C Trace Context format travels in:
`traceparent` and, when present, `tracestate`. Only that format is used (no
baggage), so nothing but ids ever crosses a boundary. Reading a carrier never
raises: a missing, malformed or hostile value (wrong type, oversized, zero
ids) gives an empty context, so the work starts a new trace and goes on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.propagators.textmap import Getter
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

TRACEPARENT = "traceparent"
TRACESTATE = "tracestate"
TRACE_HEADERS = (TRACEPARENT, TRACESTATE)
# The format's own limit for tracestate is 512 characters; anything longer is not ours.
MAX_VALUE_CHARS = 512

_W3C = TraceContextTextMapPropagator()


class _TextValues(Getter[Mapping[str, Any]]):
    """Values as the propagator wants them: short strings only (AMQP headers may hold
    bytes, numbers or tables; anything else counts as absent)."""

    def get(self, carrier: Mapping[str, Any], key: str) -> list[str] | None:
        value = carrier.get(key)
        if isinstance(value, bytes | bytearray):
            value = bytes(value).decode("ascii", errors="replace")
        if not isinstance(value, str) or len(value) > MAX_VALUE_CHARS:
            return None
        return [value]

    def keys(self, carrier: Mapping[str, Any]) -> list[str]:
        return [key for key in carrier if isinstance(key, str)]


def current_carrier() -> dict[str, str]:
    """The trace context of the current span, or {} outside any span."""
    carrier: dict[str, str] = {}
    _W3C.inject(carrier)
    return carrier


def context_from(carrier: Mapping[str, Any] | None) -> Context:
    """The context a carrier names; an empty one (a new trace) for anything unusable."""
    if not isinstance(carrier, Mapping):
        return Context()
    try:
        return _W3C.extract(carrier, context=Context(), getter=_TextValues())
    except Exception:  # a hostile value must never stop the work it came with
        return Context()


def trace_id_in(carrier: Mapping[str, Any] | None) -> str | None:
    """The trace id a carrier names (32 hex digits, as trace backends show it), or None."""
    named = trace.get_current_span(context_from(carrier)).get_span_context()
    return trace.format_trace_id(named.trace_id) if named.is_valid else None
