"""Who may do what: tokens, roles, centres, NIK masking, search and the audit trail."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.component.registration.examples import auth, registration


async def _register(
    client: httpx.AsyncClient, who: str = "officer", **changes: Any
) -> dict[str, Any]:
    response = await client.post("/enterprises", json=registration(**changes), headers=auth(who))
    assert response.status_code == 201, response.text
    return response.json()


async def test_every_endpoint_but_health_needs_a_token(client: httpx.AsyncClient):
    health = await client.get("/health")
    anonymous = await client.get("/enterprises")
    forged = await client.get("/enterprises", headers={"Authorization": "Bearer nope"})

    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert anonymous.status_code == 401 and forged.status_code == 401


async def test_another_centres_enterprise_looks_absent_to_an_officer(client: httpx.AsyncClient):
    umkm = await _register(client)
    url = f"/enterprises/{umkm['umkm_id']}"

    read = await client.get(url, headers=auth("other_officer"))
    change = await client.patch(url, json={"employees": 3}, headers=auth("other_officer"))
    erase = await client.post(f"{url}/erase", headers=auth("other_officer"))
    listed = await client.get("/enterprises", headers=auth("other_officer"))
    asked = await client.get("/enterprises?centre_id=kota-mojokerto", headers=auth("other_officer"))

    assert (read.status_code, change.status_code, erase.status_code) == (404, 404, 404)
    assert (
        read.json() == (await client.get("/enterprises/no-such-id", headers=auth("officer"))).json()
    )
    assert listed.json()["total"] == 0 and asked.json()["total"] == 0
    still = await client.get(url, headers=auth("officer"))
    assert still.json()["employees"] == 12 and still.json()["erased"] is False


async def test_a_viewer_sees_a_masked_nik_and_may_not_write(client: httpx.AsyncClient):
    umkm = await _register(client)
    url = f"/enterprises/{umkm['umkm_id']}"
    nik = umkm["owner"]["nik"]

    read = await client.get(url, headers=auth("viewer"))
    listed = await client.get("/enterprises", headers=auth("viewer"))
    writes = [
        await client.post("/enterprises", json=registration(), headers=auth("viewer")),
        await client.patch(url, json={"employees": 3}, headers=auth("viewer")),
        await client.post(f"{url}/erase", headers=auth("viewer")),
        await client.get(f"{url}/export", headers=auth("viewer")),
    ]

    assert read.json()["owner"]["nik"] == nik[:6] + "********" + nik[-2:]
    assert nik not in read.text and nik not in listed.text
    assert [w.status_code for w in writes] == [403, 403, 403, 403]
    assert (await client.get(url, headers=auth("officer"))).json()["owner"]["nik"] == nik


async def test_search_filters_by_centre_sector_scale_class_and_name_with_pages(
    client: httpx.AsyncClient,
):
    await _register(client, business_name="Sepatu Maju", village="Blooto")
    await _register(client, business_name="Keripik Tempe", sector="kuliner", village="Kauman")
    await _register(client, business_name="Sepatu Besar", capital=3_000_000_000, village="Miji")
    await _register(client, "admin", business_name="Sepatu Batu", centre_id="batu", village="Sisir")

    async def names(query: str, who: str = "officer") -> list[str]:
        page = (await client.get(f"/enterprises?{query}", headers=auth(who))).json()
        return [item["business"]["name"] for item in page["items"]]

    assert await names("sector=ALAS%20KAKI") == ["Sepatu Maju", "Sepatu Besar"]
    assert await names("scale_class=small") == ["Sepatu Besar"]
    assert await names("q=sepatu") == ["Sepatu Maju", "Sepatu Besar"]
    assert await names("q=sepatu&centre_id=batu", "admin") == ["Sepatu Batu"]
    assert await names("limit=2&offset=2") == ["Sepatu Besar"]
    page = (await client.get("/enterprises?limit=2", headers=auth("officer"))).json()
    assert page["total"] == 3 and len(page["items"]) == 2
    assert (await client.get("/enterprises?limit=0", headers=auth("officer"))).status_code == 422


@pytest.mark.parametrize("who", ["officer", "viewer"])
async def test_only_admins_may_query_the_audit_trail(client: httpx.AsyncClient, who: str):
    response = await client.get("/audit", headers=auth(who))
    assert response.status_code == 403


async def test_the_audit_trail_names_who_read_or_changed_an_enterprise_without_personal_data(
    client: httpx.AsyncClient, unique_id: str
):
    body = registration()
    umkm = (await client.post("/enterprises", json=body, headers=auth("officer"))).json()
    url = f"/enterprises/{umkm['umkm_id']}"
    await client.get(url, headers=auth("viewer", unique_id))
    await client.patch(f"{url}/financials", json={"capital": 700_000_000}, headers=auth("officer"))
    await client.get(f"{url}/export", headers=auth("officer"))

    response = await client.get(f"/audit?umkm_id={umkm['umkm_id']}", headers=auth("admin"))

    trail = [(e["actor"], e["action"]) for e in response.json()]
    assert trail == [
        ("officer-mjk", "register"),
        ("viewer-mjk", "read"),
        ("officer-mjk", "update_financials"),
        ("officer-mjk", "export"),
    ]
    assert response.json()[1]["correlation_id"] == unique_id
    for secret in (body["nik"], body["owner_name"], umkm["owner"]["phone"], body["business_name"]):
        assert secret not in response.text


async def test_the_openapi_document_describes_every_endpoint_and_the_bearer_scheme(
    client: httpx.AsyncClient,
):
    spec = (await client.get("/openapi.json")).json()

    assert set(spec["paths"]) == {
        "/health",
        "/health/live",
        "/health/ready",
        "/enterprises",
        "/enterprises/{umkm_id}",
        "/enterprises/{umkm_id}/financials",
        "/enterprises/{umkm_id}/consents",
        "/enterprises/{umkm_id}/export",
        "/enterprises/{umkm_id}/erase",
        "/enterprises/import",
        "/imports/{import_id}",
        "/imports/{import_id}/rows",
        "/audit",
    }
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    conflict = spec["paths"]["/enterprises"]["post"]["responses"]["409"]
    assert conflict["content"]["application/json"]["schema"]["$ref"].endswith("DuplicateProblem")
