"""Training believes registration's events only from registration's broker user."""

from __future__ import annotations

import httpx
from plut_shared.contracts import make_envelope
from plut_shared.contracts.registration import UmkmErased
from plut_shared.messaging.parking import ParkingLot

from tests.component.registration.examples import CENTRE, auth
from tests.component.training.support import known_enterprises
from tests.support.event_sender import EventSender
from tests.support.waiting import eventually


async def test_an_erasure_published_by_another_user_is_parked_and_erases_nothing(
    client: httpx.AsyncClient, sender: EventSender, amqp_url: str, service_urls: dict[str, str]
):
    (umkm_id,) = await known_enterprises(client, sender, 1)
    forged = make_envelope(
        UmkmErased(umkm_id=umkm_id), producer="registration", centre_id=CENTRE,
        subject_id=umkm_id, correlation_id="forged",
    )  # fmt: skip
    body = forged.model_dump_json().encode()
    # The administrator may publish anything, but it is not registration.
    await sender.publish_raw(
        amqp_url, body, routing_key=forged.event_type, message_id=forged.event_id
    )
    lot = ParkingLot(service_urls["training"], "training")

    async def parked_forgery() -> list:
        return [p for p in await lot.list() if p.message_id == forged.event_id]

    [parked] = await eventually(parked_forgery, lambda found: len(found) == 1)
    assert "accepted only from broker user" in (parked.error_message or "")
    seen = await client.get(f"/enterprises/{umkm_id}", headers=auth("officer"))
    assert seen.json()["erased"] is False
