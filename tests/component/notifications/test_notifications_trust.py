"""A registration event re-published by anyone but registration changes nothing here."""

from __future__ import annotations

import pytest
from aiormq.exceptions import ChannelAccessRefused
from plut_shared.messaging.parking import ParkingLot

from tests.component.notifications.events import registered
from tests.support.event_sender import EventSender
from tests.support.waiting import eventually


async def test_a_registered_event_replayed_for_another_centre_is_parked_not_applied(
    service, own_vhost_url: str, own_service_urls: dict[str, str], provider, unique_id: str
) -> None:
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))  # by registration, as it should be
    await provider.wait_for(1, timeout=30)
    moved = registered(umkm_id).model_copy(update={"centre_id": "malang"})
    body = moved.model_dump_json().encode()
    async with EventSender(own_service_urls) as sender:
        with pytest.raises(ChannelAccessRefused):  # no other service may publish it
            await sender.publish(moved, as_service="notifications")
        # The administrator may, but is not registration: parked with the reason.
        await sender.publish_raw(
            own_vhost_url, body, routing_key=moved.event_type, message_id=moved.event_id
        )
    lot = ParkingLot(own_service_urls["notifications"], "notifications")
    [parked] = await eventually(lot.list, lambda items: len(items) == 1)
    assert parked.error_message.endswith("not from guest")
    contact = await service.contact(umkm_id)
    assert contact["centre_id"] == "kota-mojokerto"
    assert len(await service.messages(umkm_id)) == 1  # no second welcome
