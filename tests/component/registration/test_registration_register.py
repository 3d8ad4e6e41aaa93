"""Registering enterprises over HTTP: validation, scale class, deduplication, events."""

from __future__ import annotations

import httpx
import pytest

from tests.component.registration.examples import auth, registration
from tests.support.event_probe import EventProbe


async def test_an_officer_registers_an_enterprise_and_its_registered_event_is_published(
    client: httpx.AsyncClient, events: EventProbe, unique_id: str
):
    body = registration(phone="+62 0812-3456-7890", capital=2_000_000_000)
    response = await client.post("/enterprises", json=body, headers=auth("officer", unique_id))

    assert response.status_code == 201, response.text
    created = response.json()
    assert created["scale_class"] == "small"  # capital decides at registration
    assert created["owner"]["phone"] == "+6281234567890"
    assert created["owner"]["nik"] == body["nik"]
    assert created["consents"]["financing_partners"]["granted"] is True
    assert created["consents"]["marketing"]["granted"] is False
    assert response.headers["X-Correlation-ID"] == unique_id
    [event] = await events.wait_for(lambda e: e.subject_id == created["umkm_id"])
    assert event.event_type == "registration.umkm.registered"
    assert event.correlation_id == unique_id
    assert event.centre_id == "kota-mojokerto"
    assert event.payload["scale_class"] == "small"


@pytest.mark.parametrize("field", ["nik", "nib", "phone"])
async def test_a_second_registration_with_the_same_identity_is_a_409_naming_the_first(
    client: httpx.AsyncClient, field: str
):
    first = registration()
    created = await client.post("/enterprises", json=first, headers=auth("officer"))
    second = registration(**{field: first[field]}, business_name="Keripik Lain")

    response = await client.post("/enterprises", json=second, headers=auth("officer"))

    assert response.status_code == 409
    assert response.json()["field"] == field
    assert response.json()["existing_umkm_id"] == created.json()["umkm_id"]
    assert created.json()["umkm_id"] in response.json()["detail"]
    listed = await client.get("/enterprises", headers=auth("officer"))
    assert listed.json()["total"] == 1


async def test_the_same_phone_written_another_way_is_still_a_duplicate(client: httpx.AsyncClient):
    await client.post(
        "/enterprises", json=registration(phone="081298765432"), headers=auth("officer")
    )

    again = registration(phone="+62 812-9876-5432")
    response = await client.post("/enterprises", json=again, headers=auth("officer"))

    assert response.status_code == 409
    assert response.json()["field"] == "phone"


async def test_a_similar_name_in_the_same_village_is_flagged_for_review_but_registered(
    client: httpx.AsyncClient,
):
    first = await client.post(
        "/enterprises", json=registration(business_name="UD Sumber Rejeki"), headers=auth("officer")
    )
    elsewhere = registration(business_name="Sumber Rezeki", village="Blooto")
    apart = await client.post("/enterprises", json=elsewhere, headers=auth("officer"))
    same_village = registration(business_name="Sumber Rezeki")

    response = await client.post("/enterprises", json=same_village, headers=auth("officer"))

    assert response.status_code == 201
    assert response.json()["possible_duplicates"] == [first.json()["umkm_id"]]
    assert apart.json()["possible_duplicates"] == []
    stored = await client.get(f"/enterprises/{response.json()['umkm_id']}", headers=auth("officer"))
    assert stored.json()["possible_duplicates"] == [first.json()["umkm_id"]]


async def test_each_invalid_field_gets_one_clear_message(client: httpx.AsyncClient):
    body = registration(nik="3576013213900001", phone="12345", centre_id="surabaya", capital=-1)
    del body["sector"]

    response = await client.post("/enterprises", json=body, headers=auth("officer"))

    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(errors) == {"nik", "phone", "centre_id", "capital", "sector"}
    assert "nik" in errors["nik"].lower() and "3576013213900001" not in errors["nik"]
    assert "unknown PLUT centre" in errors["centre_id"]
    assert len(response.json()["errors"]) == len(errors)


async def test_an_officer_cannot_register_for_another_centre(client: httpx.AsyncClient):
    body = registration(centre_id="malang", regency_city="Kota Malang")

    response = await client.post("/enterprises", json=body, headers=auth("officer"))

    assert response.status_code == 403
    listed = await client.get("/enterprises", headers=auth("admin"))
    assert listed.json()["total"] == 0
