"""The training service's test kit: registration events on the bus, bodies, a movable clock."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
from plut_shared.contracts import Envelope, make_envelope
from plut_shared.contracts.registration import Channel, Consents, ScaleClass, UmkmRegistered

from tests.component.registration.examples import CENTRE, auth
from tests.support.event_sender import EventSender
from tests.support.waiting import eventually

WIB = timezone(timedelta(hours=7))
RETRY_DELAYS_MS = (200, 400)


class MovableClock:
    """Real time from now on, moved forward when a test needs a session to have happened."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def move_to(self, moment: datetime) -> None:
        self.offset = moment - datetime.now(UTC)


def registered(umkm_id: str, centre_id: str = CENTRE, **changes: Any) -> Envelope:
    fields: dict[str, Any] = {
        "umkm_id": umkm_id,
        "business_name": "UD Sepatu Maja Citra",
        "sector": "alas kaki",
        "scale_class": ScaleClass.MICRO,
        "owner_name": "Siti Rahayu",
        "phone": "+6281234567890",
        "preferred_channel": Channel.WHATSAPP,
        "consents": Consents(),
        "nik": "3576014101900001",
        **changes,
    }
    return make_envelope(
        UmkmRegistered(**fields),
        producer="registration",
        centre_id=centre_id,
        subject_id=umkm_id,
        correlation_id=f"corr-{umkm_id}",
    )


async def known_enterprises(
    client: httpx.AsyncClient,
    sender: EventSender,
    count: int,
    centre_id: str = CENTRE,
    **changes: Any,
) -> list[str]:
    """`count` enterprises registered on the bus, once the service has them in its read model."""
    ids = [f"umkm-{uuid.uuid4().hex[:12]}" for _ in range(count)]
    for umkm_id in ids:
        await sender.publish(registered(umkm_id, centre_id, **changes))

    async def known() -> int:
        answers = [await client.get(f"/enterprises/{u}", headers=auth("admin")) for u in ids]
        return sum(answer.status_code == 200 for answer in answers)

    await eventually(known, lambda found: found == count, timeout=60)
    return ids


def course_body(**changes: Any) -> dict[str, Any]:
    return {"centre_id": CENTRE, "topic": "digital_marketing", **changes}


def session_body(starts_at: datetime, *, capacity: int = 10, days: int = 1) -> dict[str, Any]:
    return {
        "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + timedelta(days=days - 1, hours=7)).isoformat(),
        "venue": "Aula PLUT Maja Citra Kinarya",
        "trainer": "Budi Santoso",
        "capacity": capacity,
    }


async def planned_session(
    client: httpx.AsyncClient,
    starts_at: datetime,
    *,
    capacity: int = 10,
    days: int = 1,
    **course: Any,
) -> dict[str, Any]:
    created = await client.post("/courses", json=course_body(**course), headers=auth("officer"))
    assert created.status_code == 201, created.text
    course_id = created.json()["course_id"]
    body = session_body(starts_at, capacity=capacity, days=days)
    planned = await client.post(
        f"/courses/{course_id}/sessions", json=body, headers=auth("officer")
    )
    assert planned.status_code == 201, planned.text
    return planned.json()


def in_days(days: int, hour_wib: int = 9) -> datetime:
    """A whole hour in WIB, `days` from today."""
    today = datetime.now(WIB).replace(hour=hour_wib, minute=0, second=0, microsecond=0)
    return today + timedelta(days=days)
