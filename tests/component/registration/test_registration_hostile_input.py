"""Values made to break the service: numbers past 64 bits, invisible or control characters."""

from __future__ import annotations

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
