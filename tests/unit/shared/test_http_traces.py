"""Every request to a service is a server span named by its route template, never its path."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry.trace import SpanKind, StatusCode
from plut_shared.tracing import TracingMiddleware
from registration.bootstrap import create_app
from registration.config import RegistrationSettings

from tests.component.registration.examples import auth, token_registry
from tests.support.spans import (
    RecordedSpans,
    parent_id_of,
    trace_id_of,
)

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"


def registration_app() -> FastAPI:
    """The real app, never started: only the token check and the guard answer."""
    settings = RegistrationSettings(
        amqp_url="amqp://nobody:unused@127.0.0.1:1/", mongo_url="mongodb://127.0.0.1:1"
    )
    return create_app(settings, token_registry())


async def request(app: FastAPI, method: str, path: str, **options) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://plut.test") as http:
        return await http.request(method, path, **options)


async def test_a_request_with_an_id_is_named_by_its_template_and_keeps_no_path_or_body(
    spans: RecordedSpans,
) -> None:
    umkm_id, nik = str(uuid.uuid4()), "3576014101900001"
    response = await request(
        registration_app(),
        "PATCH",
        f"/enterprises/{umkm_id}?nik={nik}",
        json={"nik": nik, "owner_name": 7},
        headers=auth("officer"),
    )
    assert response.status_code == 422
    [span] = spans.all()
    assert span.name == "PATCH /enterprises/{umkm_id}"
    assert span.kind is SpanKind.SERVER
    assert dict(span.attributes or {}) == {
        "http.request.method": "PATCH",
        "http.route": "/enterprises/{umkm_id}",
        "http.response.status_code": 422,
    }
    assert not span.events


async def test_a_refused_request_is_traced_under_its_method_alone(spans: RecordedSpans) -> None:
    response = await request(registration_app(), "GET", f"/enterprises/{uuid.uuid4()}")
    assert response.status_code == 401  # the guard answers before routing
    assert [span.name for span in spans.all()] == ["GET"]


async def test_an_incoming_traceparent_continues_the_callers_trace(spans: RecordedSpans) -> None:
    headers = {"traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01"}
    await request(registration_app(), "GET", "/openapi.json", headers=headers)
    [span] = spans.all()
    assert (trace_id_of(span), parent_id_of(span)) == (TRACE_ID, PARENT_ID)


@pytest.mark.parametrize("traceparent", ["garbage", f"00-{TRACE_ID}-{'0' * 16}-01", "0" * 600])
async def test_a_malformed_traceparent_starts_a_new_trace_and_the_request_is_served(
    spans: RecordedSpans, traceparent: str
) -> None:
    response = await request(
        registration_app(), "GET", "/openapi.json", headers={"traceparent": traceparent}
    )
    assert response.status_code == 200
    [span] = spans.all()
    assert span.parent is None and trace_id_of(span) != TRACE_ID


async def test_an_unknown_path_or_method_makes_no_new_span_names(spans: RecordedSpans) -> None:
    await request(registration_app(), "GET", "/no/such/path/12345", headers=auth("officer"))
    await request(registration_app(), "BREW", "/enterprises", headers=auth("officer"))
    assert sorted(span.name for span in spans.all()) == ["GET", "_OTHER /enterprises"]


async def test_a_server_error_marks_its_span_failed(spans: RecordedSpans) -> None:
    app = FastAPI(telemetry={"tracing": False})  # as the services' apps

    @app.get("/boom/{thing_id}")
    async def boom(thing_id: str) -> None:
        raise RuntimeError("broken")

    app.add_middleware(TracingMiddleware)
    response = await request(app, "GET", "/boom/7")
    assert response.status_code == 500
    [span] = spans.all()
    assert span.name == "GET /boom/{thing_id}"
    assert span.status.status_code is StatusCode.ERROR


async def test_health_checks_make_no_spans(spans: RecordedSpans) -> None:
    # (/health and /health/ready would wait for the store this app never reaches.)
    assert (await request(registration_app(), "GET", "/health/live")).status_code == 200
    await request(registration_app(), "GET", "/openapi.json")
    assert len(spans.all()) == 1
