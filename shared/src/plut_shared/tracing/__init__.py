"""OpenTelemetry tracing: one trace from an HTTP request through the events it causes.

`setup` makes the process's provider (exporting over OTLP/HTTP only when
`OTEL_EXPORTER_OTLP_ENDPOINT` is set), `http` the server span of each request,
`kernel` the spans and context of the outbox, the relay and the consumers,
`carriers` the W3C context in headers and stored records. README, "Traces".
"""

from plut_shared.tracing.carriers import context_from, current_carrier, trace_id_in
from plut_shared.tracing.http import TracingMiddleware
from plut_shared.tracing.kernel import continued
from plut_shared.tracing.setup import configure_tracing, current_trace_id

__all__ = [
    "TracingMiddleware",
    "configure_tracing",
    "context_from",
    "continued",
    "current_carrier",
    "current_trace_id",
    "trace_id_in",
]
