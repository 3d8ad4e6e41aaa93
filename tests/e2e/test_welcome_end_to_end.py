"""Registration and notifications together: an officer registers an UMKM, its owner is welcomed.

Both services run as their real ASGI apps against the real broker and store
(each with its own database, sharing a vhost of their own); the welcome goes
to a local HTTP stand-in for the WhatsApp provider.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from notifications.bootstrap import create_app as create_notifications
from registration.bootstrap import create_app as create_registration
from registration.config import RegistrationSettings

from tests.component.notifications.service import BrokerAccess, DaytimeClock, settings_for
from tests.component.registration.examples import auth, registration, token_registry
from tests.support.in_process import own_broker, own_databases, serving
from tests.support.notification_sinks import FakeMessagingProvider, SmtpSink
from tests.support.waiting import eventually


@pytest.fixture
def e2e_broker(infra, vhost_admin) -> Iterator[BrokerAccess]:
    with own_broker(infra, vhost_admin, "plut-e2e") as access:
        yield access


@pytest.fixture
async def databases(mongo_client) -> AsyncIterator[tuple[str, ...]]:
    async with own_databases(mongo_client, "registration", "notifications") as names:
        yield names


async def test_registering_an_enterprise_sends_its_owner_one_welcome_on_whatsapp(
    infra, e2e_broker: BrokerAccess, databases
):
    registration_db, notifications_db = databases
    with SmtpSink() as smtp, FakeMessagingProvider() as provider:
        notifications_settings = settings_for(
            e2e_broker, infra.mongo_url, notifications_db, smtp, provider
        )
        notifications = create_notifications(
            notifications_settings, token_registry(), clock=DaytimeClock()
        )
        registration_settings = RegistrationSettings(
            amqp_url=e2e_broker.service_urls["registration"],
            broker_user_prefix=e2e_broker.user_prefix,
            mongo_url=infra.mongo_url,
            database=registration_db,
            relay_sweep_interval_s=0.5,
        )
        # Notifications first: its queue must be bound before the event is published.
        async with (
            serving(notifications) as notifications_api,
            serving(create_registration(registration_settings, token_registry())) as reg_api,
        ):
            body = registration(phone="0812-3456-7001", preferred_channel="whatsapp")
            created = await reg_api.post("/enterprises", json=body, headers=auth("officer"))
            assert created.status_code == 201, created.text
            umkm_id = created.json()["umkm_id"]

            [welcome] = await provider.wait_for(1, timeout=30)
            assert welcome.channel == "whatsapp"
            assert welcome.to == "+6281234567001"
            assert f"Halo Bapak/Ibu {body['owner_name']}" in welcome.text
            assert body["business_name"] in welcome.text

            async def delivery_log() -> list[dict]:
                response = await notifications_api.get(
                    f"/enterprises/{umkm_id}/messages", headers=auth("officer")
                )
                return response.json() if response.status_code == 200 else []

            [logged] = await eventually(
                delivery_log, lambda log: len(log) == 1 and log[0]["state"] == "delivered"
            )
            assert logged["template"] == "welcome"
            assert await notifications.state.dispatcher.dispatch_due() == 0
            assert len(provider.requests) == 1
            assert smtp.received == []
