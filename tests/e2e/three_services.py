"""Registration, training and notifications as real ASGI apps on one vhost of their own.

Each service connects as its own broker user and keeps its own database;
notifications sends to a local stand-in for the WhatsApp provider, and its
clock and training's stand still until a test moves them.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime

import httpx
import pytest
from fastapi import FastAPI
from notifications.bootstrap import create_app as create_notifications
from notifications.domain.clock import FixedClock
from registration.bootstrap import create_app as create_registration
from registration.config import RegistrationSettings
from training.bootstrap import create_app as create_training
from training.config import TrainingSettings

from tests.component.notifications.service import BrokerAccess, settings_for
from tests.component.registration.examples import auth, registration, token_registry
from tests.support.in_process import own_broker, serving
from tests.support.notification_sinks import FakeMessagingProvider, SmtpSink
from tests.support.waiting import eventually


@dataclass
class Platform:
    registration: httpx.AsyncClient
    training: httpx.AsyncClient
    notifications: httpx.AsyncClient
    notifications_app: FastAPI
    provider: FakeMessagingProvider
    clock: FixedClock  # both training's and notifications' "now"

    async def register(self) -> tuple[str, str]:
        """A new enterprise known to training and welcomed; returns its id and phone."""
        body = registration(preferred_channel="whatsapp")
        created = await self.registration.post("/enterprises", json=body, headers=auth("officer"))
        assert created.status_code == 201, created.text
        umkm_id, phone = created.json()["umkm_id"], created.json()["owner"]["phone"]

        async def known() -> int:
            return (
                await self.training.get(f"/enterprises/{umkm_id}", headers=auth("officer"))
            ).status_code

        await eventually(known, lambda code: code == 200, timeout=30)
        await eventually(lambda: self.sent_to(phone), lambda texts: len(texts) == 1, timeout=30)
        return umkm_id, phone

    async def sent_to(self, phone: str) -> list[str]:
        return [request.text for request in self.provider.requests if request.to == phone]

    async def messages(self, umkm_id: str) -> list[dict]:
        answer = await self.notifications.get(
            f"/enterprises/{umkm_id}/messages", headers=auth("officer")
        )
        return answer.json() if answer.status_code == 200 else []

    async def at(self, moment: datetime) -> int:
        """Move both clocks to `moment` and send what is due; returns how many went out."""
        self.clock.set(moment)
        return int(await self.notifications_app.state.dispatcher.dispatch_due())


@pytest.fixture
def three_services_broker(infra, vhost_admin) -> Iterator[BrokerAccess]:
    with own_broker(infra, vhost_admin, "plut-e2e-training") as access:
        yield access


def _apps(
    infra, broker: BrokerAccess, names: list[str], clock: FixedClock, smtp, provider
) -> tuple[FastAPI, FastAPI, FastAPI]:
    common = {"mongo_url": infra.mongo_url, "broker_user_prefix": broker.user_prefix}
    common |= {"relay_sweep_interval_s": 0.5, "retry_delays_ms": (200, 400)}
    registration_settings = RegistrationSettings(
        amqp_url=broker.service_urls["registration"], database=names[0], **common
    )
    training_settings = TrainingSettings(
        amqp_url=broker.service_urls["training"], database=names[1], **common
    )
    notifications_settings = settings_for(broker, infra.mongo_url, names[2], smtp, provider)
    return (
        create_registration(registration_settings, token_registry()),
        create_training(training_settings, token_registry(), clock=clock.now),
        create_notifications(notifications_settings, token_registry(), clock=clock),
    )


@pytest.fixture
async def platform(
    infra, three_services_broker: BrokerAccess, mongo_client, start: datetime
) -> AsyncIterator[Platform]:
    """The three services; the test module gives `start`, the instant both clocks show."""
    names = [f"test_{s}_{uuid.uuid4().hex[:10]}" for s in ("reg", "train", "notif")]
    clock = FixedClock(start)
    try:
        with SmtpSink() as smtp, FakeMessagingProvider() as provider:
            apps = _apps(infra, three_services_broker, names, clock, smtp, provider)
            registration_app, training_app, notifications_app = apps
            # Consumers first: their queues must be bound before registration publishes.
            async with (
                serving(notifications_app) as notifications_api,
                serving(training_app) as training_api,
                serving(registration_app) as registration_api,
            ):
                yield Platform(
                    registration_api, training_api, notifications_api, notifications_app,
                    provider, clock,
                )  # fmt: skip
    finally:
        for name in names:
            await mongo_client.drop_database(name)
