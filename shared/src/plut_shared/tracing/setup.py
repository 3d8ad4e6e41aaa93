"""The process's tracer provider: spans always, exported only when asked (README, "Traces").

Spans are made in every process, so trace ids reach the logs and travel with
messages; they leave the process only when the standard
`OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) names
an OTLP/HTTP collector. The other standard `OTEL_*` variables (sampler,
batch sizes, headers, `OTEL_SDK_DISABLED`) apply as the SDK reads them.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
INSTRUMENTATION = "plut_shared"


def configure_tracing(service: str) -> TracerProvider:
    """The process's provider, made on the first call.

    One provider per process (OpenTelemetry allows one): a service process has
    one service; where several run in one process (tests), the first names them all.
    """
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        return current
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service}))
    if any(os.environ.get(name) for name in ENDPOINT_VARIABLES):
        # Imported only when used: the exporter brings protobuf with it.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    return provider


def tracer() -> trace.Tracer:
    return trace.get_tracer(INSTRUMENTATION)


@contextlib.contextmanager
def started(
    name: str,
    *,
    context: Context | None,
    kind: SpanKind,
    attributes: Mapping[str, str | int | bool] | None = None,
) -> Iterator[Span]:
    """A span, current while the block runs; `context` None continues the current one.

    A failure is recorded by its error type only, never its message: messages may
    quote input (a validation error names the value), and spans leave the process.
    """
    with tracer().start_as_current_span(
        name,
        context=context,
        kind=kind,
        attributes=attributes,
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        try:
            yield span
        except Exception as error:
            span.set_attribute("error.type", type(error).__name__)
            span.set_status(Status(StatusCode.ERROR))
            raise


def current_trace_id() -> str | None:
    """The current trace's id as the exporters write it (32 hex digits), or None."""
    context = trace.get_current_span().get_span_context()
    return trace.format_trace_id(context.trace_id) if context.is_valid else None
