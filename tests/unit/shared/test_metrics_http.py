"""HTTP metrics label a request by its route template, and `/metrics` needs its own token."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import APIRouter, FastAPI
from httpx import ASGITransport, AsyncClient
from plut_shared.auth import TokenEntry, TokenRegistry
from plut_shared.host import build_host, create_service_app
from plut_shared.routes import Reader
from plut_shared.settings import ServiceSettings

from tests.support.scrape import Scrape

METRICS_TOKEN = "metrics-token-for-tests"
OFFICER_TOKEN = "officer-token-for-tests"
REQUESTS = "plut_http_requests_total"

router = APIRouter()


@router.get("/enterprises/{umkm_id}")
async def enterprise(umkm_id: str, actor: Reader) -> dict[str, str]:
    return {"umkm_id": umkm_id}


def service_app(metrics_token: str | None = METRICS_TOKEN) -> FastAPI:
    settings = ServiceSettings(metrics_token=metrics_token, metrics_token_file=None)
    host = build_host("registration", settings)
    entry = TokenEntry.for_token(OFFICER_TOKEN, subject="o-1", role="officer", centres=["batu"])
    return create_service_app(
        host,
        title="metrics test",
        description="",
        routers=[router],
        tokens=TokenRegistry([entry]),
        configure_logs=False,
    )


@pytest.fixture
async def http() -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=service_app())
    async with AsyncClient(transport=transport, base_url="http://plut.test") as client:
        yield client


async def scrape(http: AsyncClient) -> Scrape:
    response = await http.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return Scrape(response.text)


async def test_a_path_with_an_id_is_labelled_by_its_route_template(http: AsyncClient) -> None:
    officer = {"Authorization": f"Bearer {OFFICER_TOKEN}"}
    for umkm_id in ("umkm-a1", "umkm-b2", "umkm-c3"):
        assert (await http.get(f"/enterprises/{umkm_id}", headers=officer)).status_code == 200
    metrics = await scrape(http)
    template = {"method": "GET", "route": "/enterprises/{umkm_id}", "status": "200"}
    assert metrics.value(REQUESTS, **template) == 3
    durations = "plut_http_request_duration_seconds_count"
    assert metrics.value(durations, method="GET", route="/enterprises/{umkm_id}") == 3
    assert not any("umkm-" in route for route in metrics.label_values(REQUESTS, "route"))
    assert "umkm-a1" not in metrics.text


async def test_a_refusal_of_the_guard_is_labelled_by_the_route_it_was_meant_for(
    http: AsyncClient,
) -> None:
    assert (await http.get("/enterprises/umkm-a1")).status_code == 401
    metrics = await scrape(http)
    refused = {"method": "GET", "route": "/enterprises/{umkm_id}", "status": "401"}
    assert metrics.value(REQUESTS, **refused) == 1


async def test_paths_no_route_matches_share_one_label(http: AsyncClient) -> None:
    officer = {"Authorization": f"Bearer {OFFICER_TOKEN}"}
    for path in ("/no-such-thing/3201", "/wp-admin/setup.php", "/enterprises/a/b/c"):
        assert (await http.get(path, headers=officer)).status_code == 404
    metrics = await scrape(http)
    assert metrics.value(REQUESTS, method="GET", route="unmatched", status="404") == 3
    assert metrics.label_values(REQUESTS, "route") <= {
        "unmatched",
        "/metrics",
        "/enterprises/{umkm_id}",
    }


async def test_an_unusual_method_is_folded_into_one_label(http: AsyncClient) -> None:
    await http.request("BREW", "/enterprises/umkm-a1")
    metrics = await scrape(http)
    assert metrics.label_values(REQUESTS, "method") <= {"GET", "other"}
    assert "other" in metrics.label_values(REQUESTS, "method")


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", f"Basic {METRICS_TOKEN}", f"Bearer {OFFICER_TOKEN}"],
)
async def test_metrics_refuse_a_caller_without_the_metrics_token(
    http: AsyncClient, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = await http.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "plut_" not in response.text


async def test_metrics_refuse_everyone_when_no_token_is_configured() -> None:
    transport = ASGITransport(app=service_app(metrics_token=None))
    async with AsyncClient(transport=transport, base_url="http://plut.test") as client:
        for authorization in ("Bearer ", f"Bearer {METRICS_TOKEN}", "Bearer None"):
            response = await client.get("/metrics", headers={"Authorization": authorization})
            assert response.status_code == 401


async def test_metrics_are_not_in_the_api_document(http: AsyncClient) -> None:
    document = (await http.get("/openapi.json")).json()
    assert "/metrics" not in document["paths"]
