"""Values made to break the service: numbers past 64 bits, invisible or control characters."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.component.registration.examples import auth, registration

HUGE = 2**63


async def _registered(client: httpx.AsyncClient) -> str:
    response = await client.post("/enterprises", json=registration(), headers=auth("officer"))
    assert response.status_code == 201, response.text
    return str(response.json()["umkm_id"])


def _problem(response: httpx.Response) -> tuple[int, list[str]]:
    return response.status_code, [error["field"] for error in response.json().get("errors", [])]


@pytest.mark.parametrize("field", ["capital", "annual_sales", "employees"])
async def test_a_number_past_the_domain_bounds_is_a_422_naming_the_field(
    client: httpx.AsyncClient, field: str
):
    response = await client.post(
        "/enterprises", json=registration(**{field: HUGE}), headers=auth("officer")
    )

    assert _problem(response) == (422, [field])


async def test_huge_financial_figures_and_employee_counts_are_refused_on_change(
    client: httpx.AsyncClient,
):
    umkm_id = await _registered(client)

    sales = await client.patch(
        f"/enterprises/{umkm_id}/financials",
        json={"annual_sales": 2**64},
        headers=auth("officer"),
    )
    staff = await client.patch(
        f"/enterprises/{umkm_id}", json={"employees": HUGE}, headers=auth("officer")
    )
    unchanged = await client.get(f"/enterprises/{umkm_id}", headers=auth("officer"))

    assert _problem(sales) == (422, ["annual_sales"])
    assert _problem(staff) == (422, ["employees"])
    assert unchanged.json()["version"] == 1


async def test_a_huge_search_offset_is_a_422(client: httpx.AsyncClient):
    response = await client.get(f"/enterprises?offset={HUGE}", headers=auth("officer"))

    assert _problem(response) == (422, ["offset"])


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("owner_name", "Siti \ud800", "lone surrogate"),
        ("owner_name", "\u200b\u200c\u200d\u2060\ufeff", "cannot be empty"),
        ("owner_name", "Siti\x00Rahayu", "control character"),
        ("owner_name", "\x1b[31mSiti\x1b[0m", "control character"),
        ("business_name", "Toko \u202eatiS", "text-direction override"),
        ("business_name", "\u2066Toko\u2069", "text-direction override"),
        ("sector", "\x7f", "control character"),
        ("email", "siti\ud800@example.id", "email"),
    ],
)
async def test_invisible_control_or_broken_characters_are_a_422(
    client: httpx.AsyncClient, field: str, value: str, reason: str
):
    body = json.dumps(registration(**{field: value}))  # `\ud800` escaped, as a client sends it
    headers = auth("officer") | {"Content-Type": "application/json"}

    response = await client.post("/enterprises", content=body, headers=headers)

    assert _problem(response) == (422, [field])
    assert reason in response.json()["errors"][0]["message"]
    assert json.dumps(value)[1:-1] not in response.text


async def test_names_are_stored_normalised_with_ordinary_whitespace(client: httpx.AsyncClient):
    decomposed = "Kue Nyonya Me\u0301nir\tLama"  # e + combining acute, and a tab

    response = await client.post(
        "/enterprises", json=registration(business_name=decomposed), headers=auth("officer")
    )

    assert response.status_code == 201, response.text
    assert response.json()["business"]["name"] == "Kue Nyonya M\u00e9nir Lama"


async def test_a_correction_with_control_characters_changes_nothing(client: httpx.AsyncClient):
    umkm_id = await _registered(client)

    response = await client.patch(
        f"/enterprises/{umkm_id}", json={"owner_name": "\x00\x00"}, headers=auth("officer")
    )
    unchanged = await client.get(f"/enterprises/{umkm_id}", headers=auth("officer"))

    assert _problem(response) == (422, ["owner_name"])
    assert unchanged.json()["owner"]["name"] == "Siti Rahayu"


@pytest.mark.parametrize("query", ["q=%00", "sector=ku%00liner", "q=%1b%5b2J"])
async def test_control_characters_in_a_search_are_a_422(client: httpx.AsyncClient, query: str):
    response = await client.get(f"/enterprises?{query}", headers=auth("officer"))

    assert response.status_code == 422


async def test_numbers_are_not_taken_for_dates_flags_or_amounts(client: httpx.AsyncClient):
    umkm_id = await _registered(client)
    writes = [
        ("patch", f"/enterprises/{umkm_id}/financials", {"capital": 1, "effective_date": 0}),
        ("post", f"/enterprises/{umkm_id}/consents", {"purpose": "marketing", "granted": 0}),
        ("patch", f"/enterprises/{umkm_id}/financials", {"capital": True}),
        ("post", "/enterprises", registration(consent_marketing=1)),
    ]

    answers = [
        _problem(await client.request(method, path, json=body, headers=auth("officer")))
        for method, path, body in writes
    ]

    assert answers == [
        (422, ["effective_date"]),
        (422, ["granted"]),
        (422, ["capital"]),
        (422, ["consent_marketing"]),
    ]
    unchanged = await client.get(f"/enterprises/{umkm_id}", headers=auth("officer"))
    assert unchanged.json()["version"] == 1
