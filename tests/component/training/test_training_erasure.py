"""Erasure withdraws what the owner still had coming, over the real broker and store.

Training learns an enterprise's enrolments and bookings from its own events.
Most tests let those be consumed before or after the erasure, as they come:
the effect is the same either way. The metrics tell when a delivery was handled.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
from plut_shared.contracts import Envelope, make_envelope
from plut_shared.contracts.registration import UmkmErased
from plut_shared.messaging import AggregateStore
from plut_shared.messaging.outbox import STATE_SEAL
from pydantic import SecretStr
from training.adapters.enterprises import EnterpriseMapper
from training.adapters.erasure_lists import MIGRATIONS, ErasureLists
from training.config import TrainingSettings

from tests.component.registration.examples import CENTRE, auth
from tests.component.training.support import in_days, known_enterprises, planned_session
from tests.support.event_probe import EventProbe
from tests.support.event_sender import EventSender
from tests.support.scrape import Scrape
from tests.support.waiting import eventually

METRICS_TOKEN = "metrics-token-of-the-erasure-tests"
ERASED = "registration.umkm.erased"
CANCELLED = "training.enrollment.cancelled"
PROMOTED = "training.enrollment.promoted"
PERSONAL = ("Siti Rahayu", "UD Sepatu Maja Citra", "+6281234567890", "3576014101900001")


@pytest.fixture
def training_settings(training_settings: TrainingSettings) -> TrainingSettings:
    return training_settings.model_copy(update={"metrics_token": SecretStr(METRICS_TOKEN)})


def erasure(umkm_id: str) -> Envelope:
    return make_envelope(
        UmkmErased(umkm_id=umkm_id), producer="registration", centre_id=CENTRE,
        subject_id=umkm_id, correlation_id=f"erase-{umkm_id}",
    )  # fmt: skip


async def handled(
    client: httpx.AsyncClient, event_type: str, count: int, outcome: str = "applied"
) -> None:
    """Wait until `count` deliveries of `event_type` finished with `outcome` (or duplicate)."""

    async def seen() -> float:
        answer = await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert answer.status_code == 200, answer.text
        return Scrape(answer.text).value(
            "plut_events_consumed_total", event_type=event_type, outcome=outcome
        )

    await eventually(seen, lambda value: value >= count, timeout=60)


async def enrol(client: httpx.AsyncClient, session_id: str, umkm_id: str) -> dict:
    answer = await client.post(
        f"/sessions/{session_id}/enrollments", json={"umkm_id": umkm_id}, headers=auth("officer")
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


async def roster(client: httpx.AsyncClient, session_id: str) -> dict[str, str]:
    answer = await client.get(f"/sessions/{session_id}/enrollments", headers=auth("viewer"))
    return {e["umkm_id"]: e["status"] for e in answer.json()}


def of(event_type: str, umkm_id: str) -> Callable[[Envelope], bool]:
    return lambda e: e.event_type == event_type and e.payload["umkm_id"] == umkm_id


async def test_an_erased_owners_future_seat_goes_to_the_first_waiting_with_events(
    client: httpx.AsyncClient, sender: EventSender, events: EventProbe
):
    seated, waiting = await known_enterprises(client, sender, 2)
    session = await planned_session(client, in_days(5), capacity=1)
    sid = session["session_id"]
    await enrol(client, sid, seated)
    assert (await enrol(client, sid, waiting))["status"] == "waitlisted"
    await handled(client, "training.enrollment.confirmed", 1)  # the erasure finds the seat
    erased = erasure(seated)
    await sender.publish(erased)
    cancelled = (await events.wait_for(of(CANCELLED, seated)))[0]
    promoted = (await events.wait_for(of(PROMOTED, waiting)))[0]
    assert cancelled.payload["reason"] == "erased" and cancelled.subject_id == sid
    assert cancelled.causation_id == erased.event_id and promoted.subject_id == sid
    for event in (cancelled, promoted):
        assert not any(personal in event.model_dump_json() for personal in PERSONAL)
    assert await roster(client, sid) == {seated: "cancelled", waiting: "confirmed"}


async def test_a_session_that_has_begun_keeps_the_erased_owners_seat_as_history(
    client: httpx.AsyncClient, sender: EventSender, events: EventProbe, clock
):
    umkm_id, other = await known_enterprises(client, sender, 2)
    begun = (await planned_session(client, in_days(2)))["session_id"]
    ahead = (await planned_session(client, in_days(6), capacity=1))["session_id"]
    await enrol(client, begun, umkm_id)
    await enrol(client, ahead, umkm_id)
    await enrol(client, ahead, other)
    clock.move_to(in_days(2) + timedelta(hours=2))
    await sender.publish(erasure(umkm_id))
    cancelled = (await events.wait_for(of(CANCELLED, umkm_id)))[0]
    await handled(client, ERASED, 1)
    assert cancelled.subject_id == ahead
    assert await roster(client, begun) == {umkm_id: "confirmed"}
    assert await roster(client, ahead) == {umkm_id: "cancelled", other: "confirmed"}
    assert len(events.matching(of(CANCELLED, umkm_id))) == 1


async def test_a_redelivered_erasure_changes_and_publishes_nothing_more(
    client: httpx.AsyncClient, sender: EventSender, events: EventProbe, mongo_client, database_name
):
    umkm_id, waiting = await known_enterprises(client, sender, 2)
    sid = (await planned_session(client, in_days(5), capacity=1))["session_id"]
    await enrol(client, sid, umkm_id)
    await enrol(client, sid, waiting)
    erased = erasure(umkm_id)
    await sender.publish(erased)
    await events.wait_for(of(PROMOTED, waiting))
    await handled(client, ERASED, 1)
    db = mongo_client[database_name]
    before = [await db.sessions.find_one({"_id": sid}), await db.enterprises.find_one(umkm_id)]
    await sender.publish(erased)  # the same event again, as after a lost acknowledgement
    await handled(client, ERASED, 1, "duplicate")
    after = [await db.sessions.find_one({"_id": sid}), await db.enterprises.find_one(umkm_id)]
    assert [d["version"] for d in after] == [d["version"] for d in before]
    assert len(events.matching(of(CANCELLED, umkm_id))) == 1
    assert len(events.matching(of(PROMOTED, waiting))) == 1


async def test_an_erasure_before_any_enrolment_erases_and_withdraws_nothing(
    client: httpx.AsyncClient, sender: EventSender, events: EventProbe, unique_id: str
):
    (registered,) = await known_enterprises(client, sender, 1)
    never_registered = f"umkm-{unique_id}"
    await sender.publish(erasure(registered))
    await sender.publish(erasure(never_registered))
    await handled(client, ERASED, 2)
    for umkm_id in (registered, never_registered):
        seen = await client.get(f"/enterprises/{umkm_id}", headers=auth("officer"))
        assert seen.status_code == 200 and seen.json()["erased"] is True
    sid = (await planned_session(client, in_days(4)))["session_id"]
    refused = await client.post(
        f"/sessions/{sid}/enrollments", json={"umkm_id": registered}, headers=auth("officer")
    )
    assert refused.status_code == 422
    assert events.matching(lambda e: e.event_type == CANCELLED) == []


async def test_an_erasure_cancels_every_one_of_many_enrolments_and_a_booking(
    client: httpx.AsyncClient, sender: EventSender, events: EventProbe
):
    umkm_id, waiting = await known_enterprises(client, sender, 2)
    sessions = [(await planned_session(client, in_days(5), capacity=1))["session_id"]
                for _ in range(25)]  # fmt: skip
    for sid in sessions:
        await enrol(client, sid, umkm_id)
        await enrol(client, sid, waiting)
    appointment_id = await booked_appointment(client, umkm_id)
    # The enterprise's lists are complete, so the erasure itself finds all of them.
    await handled(client, "training.enrollment.confirmed", 25)
    await handled(client, "training.enrollment.waitlisted", 25)
    await handled(client, "training.mentoring.scheduled", 1)
    started = time.monotonic()
    await sender.publish(erasure(umkm_id))
    await events.wait_for(of(CANCELLED, umkm_id), count=25, timeout=90)
    await events.wait_for(of(PROMOTED, waiting), count=25, timeout=90)
    mentoring = (await events.wait_for(of("training.mentoring.cancelled", umkm_id)))[0]
    print(f"erasure of 25 enrolments and 1 booking: {time.monotonic() - started:.2f} s")
    cancelled = events.matching(of(CANCELLED, umkm_id))
    promoted = events.matching(of(PROMOTED, waiting))
    assert sorted(e.subject_id for e in cancelled) == sorted(sessions)
    assert {e.payload["reason"] for e in cancelled} == {"erased"}
    assert sorted(e.subject_id for e in promoted) == sorted(sessions)
    assert mentoring.subject_id == appointment_id and mentoring.payload["reason"] == "erased"
    for sid in sessions:
        assert await roster(client, sid) == {umkm_id: "cancelled", waiting: "confirmed"}


async def booked_appointment(client: httpx.AsyncClient, umkm_id: str) -> str:
    body = {"centre_id": CENTRE, "name": "Dewi Lestari", "areas": ["marketing"]}
    consultant = (await client.post("/consultants", json=body, headers=auth("officer"))).json()
    start = in_days(3, hour_wib=10)
    slot = {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat()}
    offered = await client.post(
        f"/consultants/{consultant['consultant_id']}/slots",
        json={"slots": [slot]},
        headers=auth("officer"),
    )
    assert offered.status_code == 201, offered.text
    booking = {
        "consultant_id": consultant["consultant_id"],
        "slot_id": offered.json()[0]["slot_id"],
        "umkm_id": umkm_id,
        "area": "marketing",
    }
    booked = await client.post("/appointments", json=booking, headers=auth("officer"))
    assert booked.status_code == 201, booked.text
    return str(booked.json()["appointment_id"])


async def test_enrolments_made_before_the_lists_existed_are_listed_at_start_and_withdrawn(
    client: httpx.AsyncClient, sender: EventSender, events: EventProbe, mongo_client, database_name
):
    umkm_id, waiting = await known_enterprises(client, sender, 2)
    sid = (await planned_session(client, in_days(5), capacity=1))["session_id"]
    await enrol(client, sid, umkm_id)
    await enrol(client, sid, waiting)
    appointment_id = await booked_appointment(client, umkm_id)
    for event_type in ("enrollment.confirmed", "enrollment.waitlisted", "mentoring.scheduled"):
        await handled(client, f"training.{event_type}", 1)
    db = mongo_client[database_name]
    # As an older version wrote them: no lists (and a seal over a state without them).
    unlisted = {"$unset": {"session_ids": "", "appointment_ids": "", STATE_SEAL: ""}}
    await db.enterprises.update_many({}, unlisted)
    await db[MIGRATIONS].delete_many({})  # the service's own start found nothing to list
    store = AggregateStore(db.enterprises, EnterpriseMapper(), producer="training")

    assert await ErasureLists(db, store).fill_once() == 2
    assert await ErasureLists(db, store).fill_once() == 0  # once: later starts read nothing

    listed = await db.enterprises.find_one({"_id": umkm_id})
    assert (listed["session_ids"], listed["appointment_ids"]) == ([sid], [appointment_id])
    await sender.publish(erasure(umkm_id))
    cancelled = (await events.wait_for(of(CANCELLED, umkm_id)))[0]
    assert cancelled.subject_id == sid
    await events.wait_for(of("training.mentoring.cancelled", umkm_id))
    assert await roster(client, sid) == {umkm_id: "cancelled", waiting: "confirmed"}
