"""The financing service running in the test's event loop, with its own vhost and database."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from financing.bootstrap import create_app
from financing.config import FinancingSettings
from plut_shared.contracts import make_envelope, new_event_id
from plut_shared.contracts.registration import UmkmRegistered
from pymongo.asynchronous.database import AsyncDatabase

from tests.component.notifications.service import (
    CENTRE,
    OFFICER,
    BrokerAccess,
    bearer,
    token_registry,
)
from tests.support.event_sender import EventSender
from tests.support.in_process import serving
from tests.support.waiting import eventually


def registered(**changes: Any) -> UmkmRegistered:
    values: dict[str, Any] = {
        "umkm_id": new_event_id(),
        "business_name": "Sepatu Maja",
        "sector": "footwear",
        "scale_class": "micro",
        "owner_name": "Siti Aminah",
        "phone": "+6281234567001",
        "preferred_channel": "whatsapp",
        "consents": {"financing_partners": True},
        "nik": "3576014101900001",
        "founding_year": 2015,
    }
    return UmkmRegistered(**(values | changes))


@dataclass
class FinancingRun:
    app: FastAPI
    http: httpx.AsyncClient
    sender: EventSender

    @property
    def db(self) -> AsyncDatabase:
        return self.app.state.host.db

    async def publish(self, payload: Any, *, centre: str = CENTRE, subject: str = "") -> None:
        subject = subject or getattr(payload, "umkm_id", "s")
        envelope = make_envelope(
            payload, producer="test", centre_id=centre, subject_id=subject, correlation_id="c"
        )
        await self.sender.publish(envelope)

    async def register(self, payload: UmkmRegistered | None = None, centre: str = CENTRE) -> str:
        """Publish a registration as the registration service would; wait until it is known."""
        payload = payload or registered()
        await self.publish(payload, centre=centre)
        await eventually(
            lambda: self.db.enterprises.find_one({"_id": payload.umkm_id}),
            lambda found: found is not None and found["registered"],
        )
        return payload.umkm_id

    async def refer(
        self, umkm_id: str, amount: int = 50_000_000, scheme: str = "kur_mikro"
    ) -> dict:
        body = {"umkm_id": umkm_id, "scheme": scheme, "amount": amount}
        response = await self.http.post("/referrals", json=body, headers=bearer(OFFICER))
        assert response.status_code == 201, response.text
        return response.json()

    async def referral(self, referral_id: str) -> dict:
        response = await self.http.get(f"/referrals/{referral_id}", headers=bearer(OFFICER))
        assert response.status_code == 200, response.text
        return response.json()

    async def status_becomes(self, referral_id: str, status: str) -> dict:
        return await eventually(lambda: self.referral(referral_id), lambda r: r["status"] == status)


def settings_for(
    broker: BrokerAccess, mongo_url: str, database: str, **overrides: Any
) -> FinancingSettings:
    values: dict[str, Any] = {
        "amqp_url": broker.service_urls["financing"],
        "broker_user_prefix": broker.user_prefix,
        "mongo_url": mongo_url,
        "database": database,
        "retry_delays_ms": (200, 400),
        "immediate_attempts": 2,
        "relay_sweep_interval_s": 0.2,
        "relay_lease_s": 1.0,
        "graceful_timeout_s": 5,
        **overrides,
    }
    return FinancingSettings(**values)


@contextlib.asynccontextmanager
async def running_financing(
    broker: BrokerAccess, mongo_url: str, database: str, **overrides: Any
) -> AsyncIterator[FinancingRun]:
    app = create_app(settings_for(broker, mongo_url, database, **overrides), token_registry())
    async with (
        serving(app) as http,
        EventSender(broker.service_urls) as sender,
    ):
        yield FinancingRun(app, http, sender)
