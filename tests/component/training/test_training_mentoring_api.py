"""Mentoring over HTTP against the real store: one booking per slot, however many try."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx

from tests.component.registration.examples import CENTRE, auth
from tests.component.training.support import in_days, known_enterprises
from tests.support.event_probe import EventProbe
from tests.support.event_sender import EventSender


async def consultant_with_slots(client: httpx.AsyncClient, count: int = 2) -> tuple[str, list[str]]:
    body = {"centre_id": CENTRE, "name": "Dewi Lestari", "areas": ["marketing", "it"]}
    created = await client.post("/consultants", json=body, headers=auth("officer"))
    assert created.status_code == 201, created.text
    consultant_id = created.json()["consultant_id"]
    start = in_days(2, hour_wib=10)
    slots = [
        {"starts_at": (start + timedelta(hours=n)).isoformat(),
         "ends_at": (start + timedelta(hours=n, minutes=50)).isoformat()}
        for n in range(count)
    ]  # fmt: skip
    offered = await client.post(
        f"/consultants/{consultant_id}/slots", json={"slots": slots}, headers=auth("officer")
    )
    assert offered.status_code == 201, offered.text
    return consultant_id, [slot["slot_id"] for slot in offered.json()]


def booking(consultant_id: str, slot_id: str, umkm_id: str) -> dict[str, str]:
    return {"consultant_id": consultant_id, "slot_id": slot_id, "umkm_id": umkm_id, "area": "it"}


async def test_twenty_concurrent_bookings_of_one_slot_give_one_appointment(
    client: httpx.AsyncClient, sender: EventSender, events: EventProbe
):
    ids = await known_enterprises(client, sender, 20)
    consultant_id, (slot_id, _) = await consultant_with_slots(client)
    answers = await asyncio.gather(
        *(
            client.post(
                "/appointments", json=booking(consultant_id, slot_id, u), headers=auth("officer")
            )
            for u in ids
        )
    )
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [201] + [409] * 19
    refused = next(a for a in answers if a.status_code == 409)
    assert refused.json()["detail"] == f"slot {slot_id} is already booked"
    slots = await client.get(f"/consultants/{consultant_id}/slots", headers=auth("viewer"))
    assert [s["booked"] for s in slots.json()] == [True, False]
    await events.wait_for(lambda e: e.event_type == "training.mentoring.scheduled")
    assert len(events.matching(lambda e: e.event_type == "training.mentoring.scheduled")) == 1


async def test_reschedule_cancel_and_complete_with_an_outcome_that_stays_inside(
    client: httpx.AsyncClient, sender: EventSender, events: EventProbe, clock
):
    (umkm_id,) = await known_enterprises(client, sender, 1)
    consultant_id, (first, second) = await consultant_with_slots(client)
    booked = await client.post(
        "/appointments", json=booking(consultant_id, first, umkm_id), headers=auth("officer")
    )
    url = f"/appointments/{booked.json()['appointment_id']}"
    moved = await client.post(
        f"{url}/reschedule", json={"slot_id": second}, headers=auth("officer")
    )
    assert moved.status_code == 200 and moved.json()["slot"]["slot_id"] == second
    clock.move_to(clock() + timedelta(days=3))
    leaky = {"summary": "Telepon pemilik di +62 812 3456 7890 untuk katalog"}
    refused = await client.post(f"{url}/complete", json=leaky, headers=auth("officer"))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "summary"
    summary = "Strategi foto produk dan harga grosir untuk toko daring disepakati."
    done = await client.post(f"{url}/complete", json={"summary": summary}, headers=auth("officer"))
    assert done.status_code == 200 and done.json()["outcome"]["summary"] == summary
    (completed,) = await events.wait_for(lambda e: e.event_type == "training.mentoring.completed")
    assert summary not in completed.model_dump_json()
    again = await client.post(f"{url}/cancel", headers=auth("officer"))
    assert again.status_code == 409


async def test_another_centre_sees_no_consultant_and_no_appointment(
    client: httpx.AsyncClient, sender: EventSender
):
    (umkm_id,) = await known_enterprises(client, sender, 1)
    consultant_id, (slot_id, _) = await consultant_with_slots(client)
    booked = await client.post(
        "/appointments", json=booking(consultant_id, slot_id, umkm_id), headers=auth("officer")
    )
    appointment = f"/appointments/{booked.json()['appointment_id']}"
    other = auth("other_officer")
    assert (await client.get(f"/consultants/{consultant_id}", headers=other)).status_code == 404
    assert (await client.get(appointment, headers=other)).status_code == 404
    assert (await client.post(f"{appointment}/cancel", headers=other)).status_code == 404
    assert (await client.get("/appointments", headers=other)).json() == []
    assert (await client.get(appointment, headers=auth("officer"))).json()["status"] == "scheduled"
