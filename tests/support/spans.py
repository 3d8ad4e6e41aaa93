"""The spans a test made, recorded in memory with the SDK's own exporter.

    def test_x(spans: RecordedSpans): ...   # import `spans` and `span_recorder` from here

The process has one tracer provider (`plut_shared.tracing.setup`); the recorder
is added to it once and records only while a test that asked for `spans` runs.
Tests find their spans by trace id, so spans of anything else running meanwhile
do not disturb them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import format_span_id, format_trace_id
from plut_shared.tracing import configure_tracing

from tests.support.waiting import eventually


class _Recorder(SimpleSpanProcessor):
    def __init__(self, exporter: InMemorySpanExporter) -> None:
        super().__init__(exporter)
        self.recording = False

    def on_end(self, span: ReadableSpan) -> None:
        if self.recording:
            super().on_end(span)


class RecordedSpans:
    def __init__(self, exporter: InMemorySpanExporter) -> None:
        self._exporter = exporter

    def all(self) -> list[ReadableSpan]:
        return list(self._exporter.get_finished_spans())

    def of_trace(self, trace_id: str) -> list[ReadableSpan]:
        return [span for span in self.all() if trace_id_of(span) == trace_id]

    async def wait_for(
        self, accept: Callable[[ReadableSpan], bool], *, count: int = 1, timeout: float = 30.0
    ) -> list[ReadableSpan]:
        async def found() -> list[ReadableSpan]:
            return [span for span in self.all() if accept(span)]

        return await eventually(found, lambda spans: len(spans) >= count, timeout=timeout)


def trace_id_of(span: ReadableSpan) -> str:
    assert span.context is not None
    return format_trace_id(span.context.trace_id)


def span_id_of(span: ReadableSpan) -> str:
    assert span.context is not None
    return format_span_id(span.context.span_id)


def parent_id_of(span: ReadableSpan) -> str | None:
    return None if span.parent is None else format_span_id(span.parent.span_id)


def named(name: str, trace_id: str | None = None) -> Callable[[ReadableSpan], bool]:
    return lambda span: span.name == name and trace_id in (None, trace_id_of(span))


def attribute_values(spans: Sequence[ReadableSpan]) -> list[str]:
    return [str(value) for span in spans for value in (span.attributes or {}).values()]


@pytest.fixture(scope="session")
def span_recorder() -> tuple[_Recorder, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    recorder = _Recorder(exporter)
    configure_tracing("plut-tests").add_span_processor(recorder)
    return recorder, exporter


@pytest.fixture
def spans(span_recorder: tuple[_Recorder, InMemorySpanExporter]) -> Iterator[RecordedSpans]:
    recorder, exporter = span_recorder
    exporter.clear()
    recorder.recording = True
    yield RecordedSpans(exporter)
    recorder.recording = False
    exporter.clear()
