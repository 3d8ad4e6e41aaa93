"""Events whose text is huge, invisible or full of control characters are parked, not stored."""

from __future__ import annotations

import pytest
from plut_shared.contracts import Envelope
from plut_shared.messaging.parking import ParkingLot

from tests.component.notifications.events import profile_updated, registered
from tests.support.waiting import eventually


def _with_payload(envelope: Envelope, **fields: object) -> Envelope:
    """The envelope with raw payload values no producer's model would let through."""
    return envelope.model_copy(update={"payload": envelope.payload | fields})


async def _parked(service, event_id: str):
    lot = ParkingLot(service.settings.amqp_url, "notifications")
    found = await eventually(
        lot.list, lambda items: any(item.message_id == event_id for item in items)
    )
    return next(item for item in found if item.message_id == event_id)


@pytest.mark.parametrize(
    ("owner_name", "reason"),
    [
        # Over the field's bound, under the body limit (a 5 MB body is parked unread:
        # tests/component/kernel/test_kernel_malformed.py).
        ("S" * 50_000, "at most 200 characters"),
        ("\u200b\u200b\ufeff", "invisible characters"),
        ("\x1b[2J\x1b[H", "control character"),
        ("Siti \u202e", "text-direction override"),
    ],
)
async def test_a_registered_event_with_a_bad_owner_name_is_parked_with_the_reason(
    service, unique_id, owner_name, reason
):
    umkm_id = f"umkm-{unique_id}"
    bad = _with_payload(registered(umkm_id), owner_name=owner_name)

    await service.publish(bad)
    parked = await _parked(service, bad.event_id)

    assert parked.reason == "invalid"
    assert parked.error_message.startswith("owner_name:")
    assert reason in parked.error_message
    assert await service.contact(umkm_id) is None


async def test_a_profile_update_with_control_characters_is_parked_and_changes_nothing(
    service, unique_id
):
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))
    await eventually(lambda: service.contact(umkm_id), lambda doc: doc is not None)
    bad = _with_payload(profile_updated(umkm_id, owner_name="Budi"), changed={"owner_name": "\x00"})

    await service.publish(bad)
    parked = await _parked(service, bad.event_id)

    assert parked.reason == "invalid"
    assert "control character" in parked.error_message
    contact = await service.contact(umkm_id)
    assert contact is not None and "\x00" not in str(contact)
