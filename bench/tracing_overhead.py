"""What tracing costs per event on the outbox path, without broker or store.

    uv run python -m bench.tracing_overhead [--events 20000]

One event's tracing work as the kernel does it (README, "Traces"): the outbox
entry written inside a request span, read back by the relay, published in a
producer span that yields the `traceparent` header, and consumed in a consumer
span continuing it. Measured first with OpenTelemetry's default no-op provider,
then with the SDK provider the services install (spans made, none exported).
Prints microseconds per event; compare with the kernel benchmark's per-event time.
"""

from __future__ import annotations

import argparse
import os
import time
from types import SimpleNamespace

from plut_shared.contracts import Envelope
from plut_shared.tracing import configure_tracing
from plut_shared.tracing.kernel import consuming, from_outbox, outbox_entry, publishing
from plut_shared.tracing.setup import tracer


def one_event(event: Envelope) -> None:
    with tracer().start_as_current_span("POST /enterprises"):
        entry = outbox_entry(event)
    stored = from_outbox(entry)
    with publishing(
        stored, exchange="plut.events", routing_key=event.event_type, partner_facing=False
    ) as headers:
        pass
    delivery = SimpleNamespace(headers=headers, type=event.event_type, message_id=event.event_id)
    with consuming(delivery, "notifications.events"):  # type: ignore[arg-type]
        pass


def microseconds_per_event(events: int) -> float:
    event = Envelope(
        event_type="registration.umkm.registered",
        producer="registration",
        centre_id="kota-mojokerto",
        subject_id="umkm-1",
        correlation_id="corr-1",
        payload={"umkm_id": "umkm-1"},
    )
    for _ in range(min(events, 1000)):  # warm-up
        one_event(event)
    started = time.perf_counter()
    for _ in range(events):
        one_event(event)
    return (time.perf_counter() - started) / events * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    events = parser.parse_args().events
    os.environ.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)  # measure making spans, not exporting
    os.environ.pop("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", None)
    without = microseconds_per_event(events)
    configure_tracing("bench")
    with_sdk = microseconds_per_event(events)
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}, events: {events}")
    print(f"no-op provider (context only): {without:.1f} us per event")
    print(f"SDK provider (3 spans made):    {with_sdk:.1f} us per event")


if __name__ == "__main__":
    main()
