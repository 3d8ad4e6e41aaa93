"""A training enrolment ends as the owner's day-before reminder; a cancellation or a moved
session withdraws it. Registration, training and notifications run together (see
`tests/e2e/three_services.py`); the reminder reaches the provider stand-in when the clock
reaches the day before the session, 09:00 WIB for a session at 09:00 WIB.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import pytest

from tests.component.registration.examples import CENTRE, auth
from tests.e2e.three_services import Platform
from tests.support.waiting import eventually

WIB = timezone(timedelta(hours=7))
START = datetime(2026, 11, 10, 10, 0, tzinfo=WIB)
SESSION = datetime(2026, 11, 12, 9, 0, tzinfo=WIB)
REMINDER = "mengingatkan: pelatihan"


@pytest.fixture
def start() -> datetime:
    return START


async def session_for(training: httpx.AsyncClient, starts_at: datetime = SESSION) -> str:
    course = await training.post(
        "/courses",
        json={"centre_id": CENTRE, "topic": "digital_marketing"},
        headers=auth("officer"),
    )
    body = {
        "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + timedelta(hours=7)).isoformat(),
        "venue": "Aula PLUT Maja Citra Kinarya",
        "trainer": "Budi Santoso",
        "capacity": 10,
    }
    planned = await training.post(
        f"/courses/{course.json()['course_id']}/sessions", json=body, headers=auth("officer")
    )
    assert planned.status_code == 201, planned.text
    return planned.json()["session_id"]


async def enrol(platform: Platform, session_id: str, umkm_id: str) -> str:
    answer = await platform.training.post(
        f"/sessions/{session_id}/enrollments", json={"umkm_id": umkm_id}, headers=auth("officer")
    )
    assert answer.status_code == 201 and answer.json()["status"] == "confirmed", answer.text
    return answer.json()["enrollment_id"]


def reminders(messages: list[dict]) -> list[dict]:
    return [m for m in messages if m["template"] == "training_reminder"]


async def test_an_enrolment_is_reminded_the_day_before_and_a_cancelled_one_is_not(
    platform: Platform,
):
    kept, kept_phone = await platform.register()
    dropped, dropped_phone = await platform.register()
    session_id = await session_for(platform.training)
    await enrol(platform, session_id, kept)
    enrollment = await enrol(platform, session_id, dropped)

    [scheduled] = reminders(
        await eventually(lambda: platform.messages(kept), lambda found: len(reminders(found)) == 1)
    )
    assert scheduled["state"] == "scheduled"
    assert datetime.fromisoformat(scheduled["due_at"]) == SESSION - timedelta(days=1)
    await eventually(lambda: platform.messages(dropped), lambda found: len(reminders(found)) == 1)

    cancelled = await platform.training.post(
        f"/sessions/{session_id}/enrollments/{enrollment}/cancel", headers=auth("officer")
    )
    assert cancelled.status_code == 200, cancelled.text
    await eventually(
        lambda: platform.messages(dropped),
        lambda found: [m["state"] for m in reminders(found)] == ["cancelled"],
    )

    assert await platform.at(SESSION - timedelta(days=1, seconds=1)) == 0  # not yet due
    await platform.at(SESSION - timedelta(days=1) + timedelta(seconds=1))
    [reminder] = [t for t in await platform.sent_to(kept_phone) if REMINDER in t]
    assert "Pemasaran digital" in reminder and "12 November 2026" in reminder
    assert [t for t in await platform.sent_to(dropped_phone) if REMINDER in t] == []


async def test_a_moved_session_moves_the_reminder_to_the_day_before_its_new_date(
    platform: Platform,
):
    umkm_id, phone = await platform.register()
    session_id = await session_for(platform.training)
    await enrol(platform, session_id, umkm_id)
    await eventually(lambda: platform.messages(umkm_id), lambda found: len(reminders(found)) == 1)

    later = SESSION + timedelta(days=3)
    moved = await platform.training.post(
        f"/sessions/{session_id}/reschedule",
        json={"starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=7)).isoformat()},
        headers=auth("officer"),
    )
    assert moved.status_code == 200, moved.text
    found = await eventually(
        lambda: platform.messages(umkm_id),
        lambda found: sorted(m["state"] for m in reminders(found)) == ["cancelled", "scheduled"],
    )
    [pending] = [m for m in reminders(found) if m["state"] == "scheduled"]
    assert datetime.fromisoformat(pending["due_at"]) == later - timedelta(days=1)
    # The owner hears the new time (a confirmation), not that the enrolment was cancelled.
    assert [m["template"] for m in found].count("enrollment_confirmed") == 2
    assert "enrollment_cancelled" not in [m["template"] for m in found]

    await platform.at(SESSION - timedelta(days=1) + timedelta(seconds=1))  # the old date
    assert [t for t in await platform.sent_to(phone) if REMINDER in t] == []
    await platform.at(later - timedelta(days=1) + timedelta(seconds=1))
    [reminder] = [t for t in await platform.sent_to(phone) if REMINDER in t]
    assert "15 November 2026" in reminder
