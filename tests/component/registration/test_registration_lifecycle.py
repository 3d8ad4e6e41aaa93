"""Changes after registration: financials and scale class, consent, correction, export, erasure."""

from __future__ import annotations

from typing import Any

import httpx

from tests.component.registration.examples import auth, registration
from tests.support.event_probe import EventProbe


async def _register(client: httpx.AsyncClient, **changes: Any) -> dict[str, Any]:
    response = await client.post(
        "/enterprises", json=registration(**changes), headers=auth("officer")
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_sales_crossing_a_class_boundary_publish_one_naik_kelas_event(
    client: httpx.AsyncClient, events: EventProbe
):
    umkm = await _register(client, capital=500_000_000, annual_sales=1_500_000_000)
    url = f"/enterprises/{umkm['umkm_id']}"
    up = {"annual_sales": 3_000_000_000, "effective_date": "2025-07-01"}

    first = await client.patch(f"{url}/financials", json=up, headers=auth("officer"))
    repeated = await client.patch(f"{url}/financials", json=up, headers=auth("officer"))
    # A later event of the same enterprise: events leave in order, so once it
    # has arrived, a second scale change would have arrived before it.
    marker = {"purpose": "marketing", "granted": True}
    await client.post(f"{url}/consents", json=marker, headers=auth("officer"))

    assert first.status_code == 200 and first.json()["scale_class"] == "small"
    assert repeated.status_code == 200 and repeated.json()["version"] == first.json()["version"]
    mine = lambda e: e.subject_id == umkm["umkm_id"]  # noqa: E731
    await events.wait_for(lambda e: mine(e) and e.event_type.endswith("consent_changed"))
    changes = events.matching(lambda e: mine(e) and e.event_type.endswith("scale_changed"))
    assert len(changes) == 1
    assert changes[0].payload == {
        "umkm_id": umkm["umkm_id"],
        "from_class": "micro",
        "to_class": "small",
        "basis": "sales",
        "effective_date": "2025-07-01",
        "naik_kelas": True,
    }


async def test_financial_figures_within_the_same_class_change_no_class(
    client: httpx.AsyncClient, events: EventProbe
):
    umkm = await _register(client)
    url = f"/enterprises/{umkm['umkm_id']}/financials"

    response = await client.patch(url, json={"capital": 600_000_000}, headers=auth("officer"))
    empty = await client.patch(url, json={}, headers=auth("officer"))

    assert response.json()["scale_class"] == "micro" and response.json()["capital"] == 600_000_000
    assert empty.status_code == 422
    [updated] = await events.wait_for(
        lambda e: e.subject_id == umkm["umkm_id"] and e.event_type.endswith("profile_updated")
    )
    assert updated.payload["changed"] == {"capital": 600_000_000}
    assert not events.matching(
        lambda e: e.event_type.endswith("scale_changed") and e.subject_id == umkm["umkm_id"]
    )


async def test_consent_is_recorded_with_time_and_source_and_can_be_withdrawn(
    client: httpx.AsyncClient, events: EventProbe
):
    umkm = await _register(client, consent_financing_partners=False)
    url = f"/enterprises/{umkm['umkm_id']}/consents"

    given = await client.post(
        url,
        json={"purpose": "financing_partners", "granted": True, "source": "form"},
        headers=auth("officer"),
    )
    withdrawn = await client.post(
        url,
        json={"purpose": "financing_partners", "granted": False, "source": "whatsapp"},
        headers=auth("officer"),
    )
    unknown = await client.post(
        url, json={"purpose": "lottery", "granted": True}, headers=auth("officer")
    )

    assert given.json()["consents"]["financing_partners"]["granted"] is True
    record = withdrawn.json()["consents"]["financing_partners"]
    assert record["granted"] is False and record["source"] == "whatsapp" and record["at"]
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "purpose"
    changes = await events.wait_for(
        lambda e: e.subject_id == umkm["umkm_id"] and e.event_type.endswith("consent_changed"),
        count=2,
    )
    flags = [e.payload["consents"]["financing_partners"] for e in changes]
    assert flags == [True, False]


async def test_a_correction_is_published_and_a_taken_phone_is_refused(
    client: httpx.AsyncClient, events: EventProbe
):
    umkm = await _register(client)
    other = await _register(client, business_name="Kopi Lain", village="Blooto")
    url = f"/enterprises/{umkm['umkm_id']}"

    corrected = await client.patch(
        url, json={"owner_name": "Siti Rahayu Wulandari"}, headers=auth("officer")
    )
    taken = await client.patch(
        url, json={"phone": other["owner"]["phone"]}, headers=auth("officer")
    )

    assert corrected.json()["owner"]["name"] == "Siti Rahayu Wulandari"
    assert taken.status_code == 409 and taken.json()["existing_umkm_id"] == other["umkm_id"]
    stored = await client.get(url, headers=auth("officer"))
    assert stored.json()["owner"]["phone"] == umkm["owner"]["phone"]
    [event] = await events.wait_for(
        lambda e: e.subject_id == umkm["umkm_id"] and e.event_type.endswith("profile_updated")
    )
    assert event.payload["changed"] == {"owner_name": "Siti Rahayu Wulandari"}


async def test_an_export_holds_all_the_owners_data(client: httpx.AsyncClient):
    body = registration()
    created = await client.post("/enterprises", json=body, headers=auth("officer"))

    response = await client.get(
        f"/enterprises/{created.json()['umkm_id']}/export", headers=auth("officer")
    )

    assert response.status_code == 200
    data = response.json()
    assert data["owner"]["nik"] == body["nik"] and data["owner"]["email"] == body["email"]
    assert data["business"]["nib"] == body["nib"]
    assert set(data["consents"]) == {"financing_partners", "marketing"}
    assert data["consents"]["financing_partners"]["source"] == "registration"


async def test_erasure_anonymises_the_owner_keeps_statistics_and_is_published(
    client: httpx.AsyncClient, events: EventProbe
):
    body = registration()
    umkm = (await client.post("/enterprises", json=body, headers=auth("officer"))).json()
    url = f"/enterprises/{umkm['umkm_id']}"

    erased = await client.post(f"{url}/erase", headers=auth("officer"))
    exported = await client.get(f"{url}/export", headers=auth("officer"))
    change = await client.patch(url, json={"owner_name": "Siti"}, headers=auth("officer"))
    again = await client.post("/enterprises", json=body, headers=auth("officer"))

    assert erased.status_code == 200
    data = exported.json()
    assert data["owner"] is None and data["erased"] is True
    assert data["business"]["name"] is None and data["business"]["nib"] is None
    assert data["business"]["address"]["village"] is None
    assert data["business"]["sector"] == "alas kaki" and data["scale_class"] == "micro"
    assert data["capital"] == body["capital"]
    assert body["nik"] not in exported.text and body["nib"] not in exported.text
    assert change.status_code == 409
    assert again.status_code == 201  # the erased identity no longer blocks anyone
    [event] = await events.wait_for(
        lambda e: e.subject_id == umkm["umkm_id"] and e.event_type == "registration.umkm.erased"
    )
    assert event.payload == {"umkm_id": umkm["umkm_id"]}
