"""Enrolment over HTTP against the real broker and store: seats, waiting list, events."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import httpx

from tests.component.registration.examples import auth
from tests.component.training.support import in_days, known_enterprises, planned_session
from tests.support.event_probe import EventProbe
from tests.support.event_sender import EventSender
from tests.support.waiting import eventually


async def enrol(client: httpx.AsyncClient, session_id: str, umkm_id: str) -> httpx.Response:
    return await client.post(
        f"/sessions/{session_id}/enrollments", json={"umkm_id": umkm_id}, headers=auth("officer")
    )


async def test_fifty_concurrent_enrolments_for_ten_seats_confirm_exactly_ten(
    client: httpx.AsyncClient, sender: EventSender, events: EventProbe
):
    ids = await known_enterprises(client, sender, 50)
    session = await planned_session(client, in_days(5), capacity=10)
    answers = await asyncio.gather(*(enrol(client, session["session_id"], u) for u in ids))
    assert [a.status_code for a in answers] == [201] * 50, [
        a.text for a in answers if a.status_code != 201
    ]
    placed = [a.json() for a in answers]
    assert sum(p["status"] == "confirmed" for p in placed) == 10
    positions = sorted(p["waitlist_position"] for p in placed if p["status"] == "waitlisted")
    assert positions == list(range(1, 41))
    read = await client.get(f"/sessions/{session['session_id']}", headers=auth("viewer"))
    assert (read.json()["seats_taken"], read.json()["waitlist_length"]) == (10, 40)
    await events.wait_for(lambda e: e.event_type == "training.enrollment.waitlisted", count=40)
    confirmed = events.matching(lambda e: e.event_type == "training.enrollment.confirmed")
    assert len(confirmed) == 10


async def test_the_same_enterprise_twice_is_a_409_naming_the_existing_enrolment(
    client: httpx.AsyncClient, sender: EventSender
):
    (umkm_id,) = await known_enterprises(client, sender, 1)
    session = await planned_session(client, in_days(5))
    first = await enrol(client, session["session_id"], umkm_id)
    again = await enrol(client, session["session_id"], umkm_id)
    assert first.status_code == 201 and first.json()["status"] == "confirmed"
    assert again.status_code == 409
    assert again.json()["existing_enrollment_id"] == first.json()["enrollment_id"]
    assert first.json()["enrollment_id"] in again.json()["detail"]


async def test_a_cancellation_promotes_the_first_waiting_and_publishes_both(
    client: httpx.AsyncClient, sender: EventSender, events: EventProbe
):
    seated, waiting = await known_enterprises(client, sender, 2)
    session = await planned_session(client, in_days(5), capacity=1)
    sid = session["session_id"]
    first = (await enrol(client, sid, seated)).json()
    assert (await enrol(client, sid, waiting)).json()["waitlist_position"] == 1
    url = f"/sessions/{sid}/enrollments/{first['enrollment_id']}/cancel"
    cancelled = await client.post(url, headers=auth("officer"))
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["promoted"]["umkm_id"] == waiting
    assert cancelled.json()["promoted"]["status"] == "confirmed"
    (promoted,) = await events.wait_for(lambda e: e.event_type == "training.enrollment.promoted")
    assert promoted.payload["umkm_id"] == waiting and promoted.subject_id == sid
    again = await client.post(url, headers=auth("officer"))
    assert again.status_code == 409 and "cancelled" in again.json()["detail"]


async def test_cancelling_a_session_cancels_every_enrolment_on_the_bus(
    client: httpx.AsyncClient, sender: EventSender, events: EventProbe
):
    ids = await known_enterprises(client, sender, 3)
    session = await planned_session(client, in_days(5), capacity=2)
    for umkm_id in ids:
        await enrol(client, session["session_id"], umkm_id)
    called_off = await client.post(
        f"/sessions/{session['session_id']}/cancel",
        json={"reason": "Banjir"},
        headers=auth("officer"),
    )
    assert called_off.status_code == 200 and called_off.json()["status"] == "cancelled"
    cancelled = await events.wait_for(
        lambda e: e.event_type == "training.enrollment.cancelled", count=3
    )
    assert sorted(e.payload["umkm_id"] for e in cancelled) == sorted(ids)
    await events.wait_for(lambda e: e.event_type == "training.session.cancelled")


async def attended_every_day(client: httpx.AsyncClient, session: dict, umkm_id: str) -> None:
    for day in session["days"]:
        marked = await client.put(
            f"/sessions/{session['session_id']}/attendance/{day}",
            json={"present": [umkm_id]},
            headers=auth("officer"),
        )
        assert marked.status_code == 200, marked.text
        assert marked.json()[0]["attended_days"][-1] == day


async def test_attendance_completion_and_a_certificate_pdf_over_http(
    client: httpx.AsyncClient, sender: EventSender, events: EventProbe, clock
):
    (umkm_id,) = await known_enterprises(client, sender, 1)
    session = await planned_session(client, in_days(3), days=2, min_attendance_percent=100)
    sid = session["session_id"]
    enrolled = (await enrol(client, sid, umkm_id)).json()
    clock.move_to(datetime.fromisoformat(session["ends_at"]) + timedelta(minutes=5))
    await attended_every_day(client, session, umkm_id)
    completed = await client.post(f"/sessions/{sid}/completions", headers=auth("officer"))
    assert completed.status_code == 200, completed.text
    [done] = completed.json()
    assert done["certificate_number"].startswith("PLUT-KMJ-")
    (event,) = await events.wait_for(lambda e: e.event_type == "training.participant.completed")
    assert event.payload["certificate_number"] == done["certificate_number"]
    pdf = await client.get(
        f"/sessions/{sid}/enrollments/{enrolled['enrollment_id']}/certificate",
        headers=auth("viewer"),
    )
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    # Training consumes its own completion: the course now counts as done for prerequisites.
    async def known() -> dict:
        return (await client.get(f"/enterprises/{umkm_id}", headers=auth("officer"))).json()

    assert await eventually(known, lambda e: e["completed_courses"] == [session["course_id"]])
