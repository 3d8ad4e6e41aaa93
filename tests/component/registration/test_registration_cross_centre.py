"""Identities held by another centre: refused, but without naming that centre's enterprise."""

from __future__ import annotations

import httpx
import pytest

from tests.component.registration.examples import (
    OTHER_CENTRE,
    auth,
    fresh_identity,
    registration,
)
from tests.component.registration.imports import import_file

ELSEWHERE = "is already registered at another PLUT centre"


async def _malang_enterprise(client: httpx.AsyncClient) -> dict:
    body = registration(centre_id=OTHER_CENTRE)
    response = await client.post("/enterprises", json=body, headers=auth("other_officer"))
    assert response.status_code == 201, response.text
    return body | {"umkm_id": response.json()["umkm_id"]}


def _assert_unnamed(response: httpx.Response, field: str, malang: dict) -> None:
    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["field"] == field
    assert problem["existing_umkm_id"] is None
    assert ELSEWHERE in problem["detail"] and "transfer" in problem["detail"]
    for secret in (malang["umkm_id"], OTHER_CENTRE, malang["owner_name"]):
        assert secret not in response.text


@pytest.mark.parametrize("field", ["nik", "phone", "nib"])
async def test_registering_another_centres_identity_does_not_reveal_its_enterprise(
    client: httpx.AsyncClient, field: str
):
    malang = await _malang_enterprise(client)

    response = await client.post(
        "/enterprises", json=registration(**{field: malang[field]}), headers=auth("officer")
    )

    _assert_unnamed(response, field, malang)


async def test_correcting_to_another_centres_phone_does_not_reveal_its_enterprise(
    client: httpx.AsyncClient,
):
    malang = await _malang_enterprise(client)
    own = await client.post("/enterprises", json=registration(), headers=auth("officer"))

    response = await client.patch(
        f"/enterprises/{own.json()['umkm_id']}",
        json={"phone": malang["phone"]},
        headers=auth("officer"),
    )

    _assert_unnamed(response, "phone", malang)


async def test_importing_another_centres_identity_does_not_reveal_its_enterprise(
    client: httpx.AsyncClient,
):
    malang = await _malang_enterprise(client)
    own = fresh_identity()
    header = "nama_pemilik,nik,no_hp,nama_usaha,sektor,kabupaten_kota,kecamatan,modal"
    line = f"Budi,{malang['nik']},{own['phone']},Toko Budi,kuliner,Kota Mojokerto,Magersari,1000"

    imported = await import_file(client, f"{header}\n{line}\n".encode())

    [((row, field), error)] = imported.errors.items()
    assert (row, field) == (2, "nik") and ELSEWHERE in error
    assert malang["umkm_id"] not in str(imported.rows)


async def test_similar_names_of_another_centre_are_not_listed_for_review(
    client: httpx.AsyncClient,
):
    malang = await _malang_enterprise(client)  # same village, same business name
    first_here = await client.post("/enterprises", json=registration(), headers=auth("officer"))

    second_here = await client.post("/enterprises", json=registration(), headers=auth("officer"))

    assert malang["umkm_id"] not in first_here.text
    assert first_here.json()["possible_duplicates"] == []
    assert second_here.json()["possible_duplicates"] == [first_here.json()["umkm_id"]]


async def test_an_admin_of_every_centre_is_told_which_enterprise_holds_the_identity(
    client: httpx.AsyncClient,
):
    malang = await _malang_enterprise(client)

    response = await client.post(
        "/enterprises", json=registration(nik=malang["nik"]), headers=auth("admin")
    )

    assert response.status_code == 409
    assert response.json()["existing_umkm_id"] == malang["umkm_id"]
