"""`/metrics` of real service hosts: a registration moves the counters of both services.

Registration and notifications run as their ASGI apps against the real broker
and store (a vhost and databases of their own); the welcome goes to a local
stand-in for the WhatsApp provider. Every wait is on a condition.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import httpx
import pytest
from notifications.bootstrap import create_app as create_notifications
from registration.bootstrap import create_app as create_registration
from registration.config import RegistrationSettings

from tests.component.notifications.service import BrokerAccess, DaytimeClock, settings_for
from tests.component.registration.examples import auth, fresh_identity, registration
from tests.component.registration.examples import token_registry as officers
from tests.component.registration.imports import import_file
from tests.support.in_process import own_broker, own_databases, serving
from tests.support.notification_sinks import FakeMessagingProvider, SmtpSink
from tests.support.scrape import Scrape
from tests.support.waiting import eventually

METRICS_TOKEN = "metrics-token-of-this-test"
REGISTERED = "registration.umkm.registered"
HTTP_COUNT = "plut_http_requests_total"


@pytest.fixture
def broker(infra, vhost_admin) -> Iterator[BrokerAccess]:
    with own_broker(infra, vhost_admin, "plut-metrics") as access:
        yield access


@pytest.fixture
async def databases(mongo_client) -> AsyncIterator[tuple[str, ...]]:
    async with own_databases(mongo_client, "registration", "notifications") as names:
        yield names


def scraper(api: httpx.AsyncClient) -> Callable[[], Awaitable[Scrape]]:
    async def scrape() -> Scrape:
        response = await api.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert response.status_code == 200, response.text
        return Scrape(response.text)

    return scrape


async def test_a_registration_moves_the_metrics_of_registration_and_notifications(
    infra, broker: BrokerAccess, databases: tuple[str, str]
) -> None:
    registration_db, notifications_db = databases
    with SmtpSink() as smtp, FakeMessagingProvider() as provider:
        notifications = create_notifications(
            settings_for(
                broker, infra.mongo_url, notifications_db, smtp, provider,
                metrics_token=METRICS_TOKEN,
            ),
            officers(),
            clock=DaytimeClock(),
        )  # fmt: skip
        registration_settings = RegistrationSettings(
            amqp_url=broker.service_urls["registration"],
            broker_user_prefix=broker.user_prefix,
            mongo_url=infra.mongo_url,
            database=registration_db,
            relay_sweep_interval_s=0.5,
            metrics_token=METRICS_TOKEN,
        )
        async with (
            serving(notifications) as notifications_api,
            serving(create_registration(registration_settings, officers())) as registration_api,
        ):
            body = registration(preferred_channel="whatsapp")
            created = await registration_api.post(
                "/enterprises", json=body, headers=auth("officer")
            )
            assert created.status_code == 201, created.text
            umkm_id = created.json()["umkm_id"]
            read = await registration_api.get(f"/enterprises/{umkm_id}", headers=auth("officer"))
            assert read.status_code == 200
            await provider.wait_for(1, timeout=30)

            produced = await eventually(
                scraper(registration_api),
                lambda s: s.value("plut_events_published_total", event_type=REGISTERED) == 1,
            )
            consumed = await eventually(
                scraper(notifications_api),
                lambda s: (
                    s.value("plut_notifications_message_transitions_total", state="delivered") == 1
                ),
            )

    assert produced.value(HTTP_COUNT, method="POST", route="/enterprises", status="201") == 1
    read_label = {"method": "GET", "route": "/enterprises/{umkm_id}", "status": "200"}
    assert produced.value(HTTP_COUNT, **read_label) == 1
    assert "plut_outbox_backlog" in produced.series_names()
    assert produced.label_values("plut_outbox_backlog", "collection") == {"enterprises"}

    assert (
        consumed.value("plut_events_consumed_total", event_type=REGISTERED, outcome="applied") == 1
    )
    transitions = "plut_notifications_message_transitions_total"
    assert consumed.value(transitions, state="scheduled") == 1
    assert consumed.value(transitions, state="sending") == 1
    attempts = "plut_notifications_send_attempts_total"
    assert consumed.value(attempts, channel="whatsapp", outcome="delivered") == 1
    assert consumed.value("plut_events_parked_total") == 0

    for scrape in (produced, consumed):
        for personal in (umkm_id, body["nik"], body["owner_name"], body["email"], body["phone"]):
            assert personal not in scrape.text


async def test_an_import_job_counts_its_rows_created_and_rejected(
    infra, broker: BrokerAccess, databases: tuple[str, str]
) -> None:
    settings = RegistrationSettings(
        amqp_url=broker.service_urls["registration"],
        broker_user_prefix=broker.user_prefix,
        mongo_url=infra.mongo_url,
        database=databases[0],
        metrics_token=METRICS_TOKEN,
    )
    header = "nama_pemilik,nik,no_hp,nama_usaha,nib,sektor,kabupaten_kota,kecamatan,desa,modal"
    rows = [header]
    for name, identity in (("Ani", fresh_identity()), ("Budi", fresh_identity())):
        place = "kuliner,Kota Mojokerto,Magersari,Gedongan,50000000"
        rows.append(f'{name},{identity["nik"]},"{identity["phone"]}",Usaha {name},'
                    f"{identity['nib']},{place}")  # fmt: skip
    rows.append("Cici,1234,081255557777,Usaha Cici,1234567890123,kuliner,Kota Mojokerto,,,1")
    async with serving(create_registration(settings, officers())) as api:
        imported = await import_file(api, ("\n".join(rows) + "\n").encode())
        assert imported.job["state"] == "done", imported.job
        found = await scraper(api)()

    assert found.value("plut_registration_import_jobs_started_total") == 1
    assert found.value("plut_registration_import_jobs_ended_total", state="done") == 1
    assert found.value("plut_registration_import_rows_total", outcome="created") == 2
    assert found.value("plut_registration_import_rows_total", outcome="rejected") == 1
    route = {"method": "POST", "route": "/enterprises/import", "status": "202"}
    assert found.value(HTTP_COUNT, **route) == 1
