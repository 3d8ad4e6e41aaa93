"""/health reports a consumer that holds deliveries and finishes none."""

from __future__ import annotations

import asyncio

import httpx
from asgi_lifespan import LifespanManager
from plut_shared.auth import TokenRegistry
from plut_shared.contracts import Envelope
from plut_shared.host import build_host, create_service_app
from plut_shared.messaging import ConsumerQueue

from tests.support.counter_service import EVENT_TYPE, increment_event, settings_for
from tests.support.event_sender import EventSender
from tests.support.waiting import eventually


async def test_a_consumer_that_finishes_nothing_makes_health_say_stalled(
    service_urls: dict[str, str], broker_user_prefix: str, infra, database_name, unique_id
) -> None:
    settings = settings_for(
        service_urls["testkit"],
        infra.mongo_url,
        database=database_name,
        broker_user_prefix=broker_user_prefix,
        consumer_stall_after_s=0.5,
    )
    queue = ConsumerQueue("counters", ("testkit.counter.*",))
    host = build_host(f"kernel-{unique_id}", settings, queues=(queue,))
    release = asyncio.Event()

    async def stuck(envelope: Envelope, payload: object) -> None:
        await release.wait()  # e.g. a dependency that never answers

    host.messaging.consume("counters", {EVENT_TYPE: stuck})
    app = create_service_app(
        host, title="t", description="t", routers=[], tokens=TokenRegistry([]), configure_logs=False
    )
    async with (
        LifespanManager(app, startup_timeout=30, shutdown_timeout=30) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://t"
        ) as http,
        EventSender(service_urls) as sender,
    ):
        assert (await http.get("/health")).json()["consumers"] == "ok"
        await sender.publish(increment_event("stuck", 1))
        stalled = await eventually(lambda: http.get("/health"), lambda r: r.status_code == 503)
        assert stalled.json()["consumers"] == "stalled"
        assert stalled.json()["stalled_queues"] == [f"kernel-{unique_id}.counters"]
        assert stalled.json()["broker"] is True

        release.set()
        healthy = await eventually(lambda: http.get("/health"), lambda r: r.status_code == 200)
        assert healthy.json()["consumers"] == "ok"
