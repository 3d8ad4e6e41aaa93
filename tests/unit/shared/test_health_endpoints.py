"""Liveness and readiness differ: a service that cannot reach its store is alive, not ready."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from plut_shared.host import health_router


class HostWithChecks:
    def __init__(self, store: bool, broker: bool, stalled: list[str] | None = None) -> None:
        self.checks = {"store": store, "broker": broker}
        self.stalled = stalled or []

    async def healthy(self) -> dict[str, bool]:
        return self.checks

    def stalled_consumers(self) -> list[str]:
        return self.stalled


async def answers(host: Any, path: str) -> tuple[int, dict]:
    app = FastAPI()
    app.include_router(health_router(host))
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://plut.test") as http:
        response = await http.get(path)
        return response.status_code, response.json()


@pytest.mark.parametrize("path", ["/health/ready", "/health"])
async def test_a_service_without_its_store_is_not_ready(path: str) -> None:
    status, body = await answers(HostWithChecks(store=False, broker=True), path)
    assert status == 503
    assert body == {
        "status": "degraded",
        "store": False,
        "broker": True,
        "consumers": "ok",
        "stalled_queues": [],
    }


async def test_a_service_without_its_store_is_still_alive() -> None:
    assert await answers(HostWithChecks(store=False, broker=False), "/health/live") == (
        200,
        {"status": "ok"},
    )


async def test_a_service_with_store_and_broker_is_ready() -> None:
    status, body = await answers(HostWithChecks(store=True, broker=True), "/health/ready")
    assert (status, body["status"]) == (200, "ok")


async def test_a_service_whose_consumer_is_stalled_is_not_ready() -> None:
    host = HostWithChecks(store=True, broker=True, stalled=["notifications.events"])
    status, body = await answers(host, "/health/ready")
    assert (status, body["consumers"], body["stalled_queues"]) == (
        503,
        "stalled",
        ["notifications.events"],
    )
