"""Courses, sessions and access over HTTP: roles, centres, clear errors, WIB beside UTC."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest
from plut_shared.contracts import make_envelope
from plut_shared.contracts.registration import UmkmErased

from tests.component.registration.examples import auth
from tests.component.training.support import (
    course_body,
    in_days,
    known_enterprises,
    planned_session,
    session_body,
)
from tests.component.training.support import registered as registered_event
from tests.support.event_sender import EventSender
from tests.support.waiting import eventually


async def test_a_session_is_stored_in_utc_and_shown_in_wib_too(client: httpx.AsyncClient):
    starts = in_days(4, hour_wib=9)
    session = await planned_session(client, starts, days=2)
    assert session["starts_at"].endswith("Z") or session["starts_at"].endswith("+00:00")
    assert datetime.fromisoformat(session["starts_at"]).hour == 2
    assert session["starts_at_wib"].endswith("+07:00")
    assert datetime.fromisoformat(session["starts_at_wib"]).hour == 9
    assert session["days"] == [str(starts.date()), str((starts + timedelta(days=1)).date())]
    assert (session["capacity"], session["seats_taken"], session["status"]) == (10, 0, "scheduled")


async def test_every_endpoint_but_health_needs_a_token_and_viewers_only_read(
    client: httpx.AsyncClient,
):
    assert (await client.get("/health")).status_code == 200
    assert (await client.get("/courses")).status_code == 401
    written = await client.post("/courses", json=course_body(), headers=auth("viewer"))
    assert written.status_code == 403
    assert (await client.get("/courses", headers=auth("viewer"))).json() == []


async def test_another_centres_session_looks_like_an_unknown_id(client: httpx.AsyncClient):
    session = await planned_session(client, in_days(4))
    url = f"/sessions/{session['session_id']}"
    other = auth("other_officer")
    unknown = await client.get("/sessions/no-such-id", headers=auth("officer"))
    read = await client.get(url, headers=other)
    cancel = await client.post(f"{url}/cancel", json={}, headers=other)
    enrol = await client.post(f"{url}/enrollments", json={"umkm_id": "u"}, headers=other)
    assert (read.status_code, cancel.status_code, enrol.status_code) == (404, 404, 404)
    assert read.json() == unknown.json()
    assert (await client.get("/sessions", headers=other)).json() == []
    refused = await client.post("/courses", json=course_body(), headers=other)
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"starts_at": "2026-06-10T09:00:00"}, "starts_at"),
        ({"online_link": "https://meet.example.id/plut"}, "venue"),
        ({"capacity": 0}, "capacity"),
        ({"venue": None, "online_link": "ftp://x"}, "online_link"),
        ({"seats": 3}, "seats"),
    ],
)
async def test_each_invalid_session_field_gets_its_own_message(
    client: httpx.AsyncClient, change: dict, field: str
):
    course = await client.post("/courses", json=course_body(), headers=auth("officer"))
    body = session_body(in_days(4)) | change
    answer = await client.post(
        f"/courses/{course.json()['course_id']}/sessions", json=body, headers=auth("officer")
    )
    assert answer.status_code == 422, answer.text
    assert [problem["field"] for problem in answer.json()["errors"]] == [field]
    listed = await client.get("/sessions", headers=auth("officer"))
    assert listed.json() == []


async def test_a_body_over_the_limit_is_a_413_and_stores_nothing(client: httpx.AsyncClient):
    huge = course_body(description="x" * 30_000)
    answer = await client.post("/courses", json=huge, headers=auth("officer"))
    assert answer.status_code == 413
    assert "bytes" in answer.json()["detail"]
    assert (await client.get("/courses", headers=auth("officer"))).json() == []


async def test_an_erased_enterprise_loses_its_names_and_may_not_enrol(
    client: httpx.AsyncClient, sender: EventSender
):
    (umkm_id,) = await known_enterprises(client, sender, 1)
    erasure = make_envelope(
        UmkmErased(umkm_id=umkm_id), producer="registration", centre_id="kota-mojokerto",
        subject_id=umkm_id, correlation_id="c",
    )  # fmt: skip
    await sender.publish(erasure)
    await sender.publish(registered_event(umkm_id))  # late: must not bring the names back

    async def read() -> dict:
        return (await client.get(f"/enterprises/{umkm_id}", headers=auth("officer"))).json()

    seen = await eventually(read, lambda e: e["erased"])
    assert "owner_name" not in seen and seen["scale_class"] == "micro"
    session = await planned_session(client, in_days(4))
    enrol = await client.post(
        f"/sessions/{session['session_id']}/enrollments",
        json={"umkm_id": umkm_id},
        headers=auth("officer"),
    )
    assert enrol.status_code == 422
    assert enrol.json()["errors"] == [
        {"field": "umkm_id", "message": "the enterprise's owner asked for erasure"}
    ]


async def test_the_openapi_document_lists_the_error_answers_of_every_write(
    client: httpx.AsyncClient,
):
    spec = (await client.get("/openapi.json")).json()
    enrol = spec["paths"]["/sessions/{session_id}/enrollments"]["post"]
    assert {"401", "403", "404", "409", "413", "422"} <= set(enrol["responses"])
    assert "existing_enrollment_id" in str(spec["components"]["schemas"]["ConflictProblem"])
    writes = [
        (path, method)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in ("post", "put") and not {"403", "409", "413"} <= set(operation["responses"])
    ]
    assert writes == []
