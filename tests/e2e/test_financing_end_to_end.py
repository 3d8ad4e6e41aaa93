"""Registration, financing, notifications and an example partner bank, each with its own
credentials: an enterprise registered over HTTP with consent is referred, the partner (its
own process) decides and disburses, and the owner hears of every step at the provider."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from financing.bootstrap import create_app as create_financing
from financing.config import FinancingSettings
from notifications.bootstrap import create_app as create_notifications
from registration.bootstrap import create_app as create_registration
from registration.config import RegistrationSettings

from tests.component.notifications.service import BrokerAccess, DaytimeClock, settings_for
from tests.component.registration.examples import auth, registration, token_registry
from tests.e2e.test_welcome_end_to_end import serving
from tests.support.broker_admin import with_vhost
from tests.support.notification_sinks import FakeMessagingProvider, SmtpSink
from tests.support.waiting import eventually

PARTNER = "bank-jatim"  # routed for KUR Mikro at Kota Mojokerto (financing/data/partners.json)


@pytest.fixture
def own_broker(infra, vhost_admin) -> Iterator[tuple[BrokerAccess, str]]:
    name = vhost_admin.create("plut-e2e-fin")
    urls = {s: vhost_admin.service_url(name, s) for s in vhost_admin.passwords}
    yield BrokerAccess(with_vhost(infra.amqp_url, name), urls, vhost_admin.user_prefix), name
    vhost_admin.delete(name)


@pytest.fixture
async def three_databases(mongo_client) -> AsyncIterator[tuple[str, str, str]]:
    names = tuple(f"test_{s}_{uuid.uuid4().hex[:10]}" for s in ("reg", "fin", "notif"))
    yield names  # type: ignore[misc]
    for name in names:
        await mongo_client.drop_database(name)


def start_partner(amqp_url: str) -> subprocess.Popen:
    """The example partner, its own process with its own broker credentials only."""
    env = {**os.environ, "PLUT_PARTNER_AMQP_URL": amqp_url}
    command = [sys.executable, "-m", "partner_example", "--partner-id", PARTNER]
    return subprocess.Popen([*command, "--approve-up-to", "100000000"], env=env)


def service_settings(broker: BrokerAccess, service: str, mongo_url: str, database: str) -> dict:
    return {
        "amqp_url": broker.service_urls[service],
        "broker_user_prefix": broker.user_prefix,
        "mongo_url": mongo_url,
        "database": database,
        "relay_sweep_interval_s": 0.5,
    }


async def test_a_referred_owner_hears_of_submission_forwarding_approval_and_disbursement(
    infra, own_broker: tuple[BrokerAccess, str], three_databases, vhost_admin
) -> None:
    reg_db, fin_db, notif_db = three_databases
    e2e_broker, vhost = own_broker
    partner = start_partner(vhost_admin.partner_url(vhost, PARTNER))
    fin = FinancingSettings(**service_settings(e2e_broker, "financing", infra.mongo_url, fin_db))
    reg = RegistrationSettings(
        **service_settings(e2e_broker, "registration", infra.mongo_url, reg_db)
    )
    try:
        with SmtpSink() as smtp, FakeMessagingProvider() as provider:
            notif = settings_for(e2e_broker, infra.mongo_url, notif_db, smtp, provider)
            notifications = create_notifications(notif, token_registry(), clock=DaytimeClock())
            async with (
                serving(notifications),
                serving(create_financing(fin, token_registry())) as financing,
                serving(create_registration(reg, token_registry())) as registration_api,
            ):
                body = registration(phone="0812-3456-7002", preferred_channel="whatsapp")
                created = await registration_api.post(
                    "/enterprises", json=body, headers=auth("officer")
                )
                assert created.status_code == 201, created.text
                umkm_id = created.json()["umkm_id"]
                asked = {"umkm_id": umkm_id, "scheme": "kur_mikro", "amount": 50_000_000}

                async def eligible() -> dict:
                    answer = await financing.post(
                        "/eligibility", json=asked, headers=auth("officer")
                    )
                    return answer.json() if answer.status_code == 200 else {}

                await eventually(
                    eligible, lambda answer: answer.get("eligible") is True, timeout=30
                )
                referred = await financing.post("/referrals", json=asked, headers=auth("officer"))
                assert referred.status_code == 201, referred.text
                referral_id = referred.json()["referral_id"]

                async def status() -> str:
                    found = await financing.get(
                        f"/referrals/{referral_id}", headers=auth("officer")
                    )
                    return str(found.json()["status"])

                await eventually(status, lambda now: now == "disbursed", timeout=60)
                messages = await provider.wait_for(5, timeout=60)
    finally:
        partner.terminate()
        partner.wait(timeout=30)
    texts = [message.text for message in messages]
    assert all(message.to == "+6281234567002" for message in messages)
    for phrase in ("sudah kami terima", "sudah kami teruskan", "disetujui", "sudah dicairkan"):
        [text] = [text for text in texts if phrase in text]
        assert "KUR Mikro" in text and "Rp50.000.000" in text
    assert sum("Halo Bapak/Ibu" in text for text in texts) >= 2  # the welcome, among others
