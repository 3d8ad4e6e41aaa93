"""Hostile or careless import files over HTTP: bounded work, a paged report, nothing lost."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI

from tests.component.registration.examples import CENTRE, auth, fresh_identity
from tests.component.registration.imports import Imported, import_file, upload
from tests.support import xlsx_files as x

HEADER = ["nama_pemilik", "nik", "no_hp", "nama_usaha", "sektor", "kabupaten_kota", "kecamatan"]
HEADER += ["modal"]


def _row(name: str, capital: object = 50_000_000) -> list[object]:
    who = fresh_identity()
    place = ["kuliner", "Kota Mojokerto", "Magersari"]
    return [name, who["nik"], who["phone"], f"Warung {name}", *place, str(capital)]


async def _upload(client: httpx.AsyncClient, data: bytes, who: str = "officer") -> httpx.Response:
    return await upload(client, data, "umkm.xlsx", who, "application/octet-stream")


async def _import(client: httpx.AsyncClient, data: bytes, who: str = "officer") -> Imported:
    return await import_file(client, data, "umkm.xlsx", who, "application/octet-stream")


async def _audited_imports(client: httpx.AsyncClient, ids: list[str]) -> list[str]:
    entries = (await client.get("/audit?limit=1000", headers=auth("admin"))).json()
    return sorted(e["umkm_id"] for e in entries if e["action"] == "import" and e["umkm_id"] in ids)


async def test_a_zip_bomb_is_refused_with_a_reason_while_health_answers(
    client: httpx.AsyncClient,
):
    bomb = x.with_sheet(x.huge_cell_sheet(HEADER, 64 * 1_048_576))

    response, health = await asyncio.gather(_upload(client, bomb), client.get("/health"))

    assert response.status_code == 422
    assert "unpacks to" in response.json()["detail"]
    assert health.status_code == 200


async def test_thousands_of_bad_rows_give_a_prompt_answer_and_a_paged_report(
    client: httpx.AsyncClient,
):
    data = x.with_sheet(x.sheet_xml([HEADER] + [["", "123", "0"] for _ in range(1_200)]))

    response = await _upload(client, data)
    job_url = response.headers["Location"]
    answered_meanwhile = 0
    while (await client.get(job_url, headers=auth("officer"))).json()["state"] != "done":
        answered_meanwhile += (await client.get("/health")).status_code == 200

    assert response.status_code == 202, response.text
    assert answered_meanwhile >= 1  # the import never held the event loop for its whole run
    job = (await client.get(job_url, headers=auth("officer"))).json()
    assert (job["rows"], job["rejected"], job["created"]) == (1_200, 1_200, 0)
    pages = [
        (await client.get(f"{job['rows_url']}?offset={offset}&limit=500", headers=auth("officer")))
        for offset in (0, 500, 1000)
    ]
    assert [page.status_code for page in pages] == [200, 200, 200]
    rows = [item["row"] for page in pages for item in page.json()["items"]]
    assert rows == list(range(2, 1_202))
    assert pages[0].json()["total"] == 1_200
    assert all(item["errors"] and item["umkm_id"] is None for item in pages[2].json()["items"])


async def test_only_the_importer_and_admins_see_an_import_and_its_report(
    client: httpx.AsyncClient,
):
    job = (await _import(client, x.workbook([HEADER, _row("Ani")]))).job

    readers = {
        who: (
            (await client.get(job["job_url"], headers=auth(who))).status_code,
            (await client.get(job["rows_url"], headers=auth(who))).status_code,
        )
        for who in ("officer", "admin", "other_officer", "viewer")
    }
    unknown = await client.get("/imports/no-such-import", headers=auth("admin"))
    unknown_rows = await client.get("/imports/no-such-import/rows", headers=auth("admin"))

    assert readers == {
        "officer": (200, 200),
        "admin": (200, 200),
        "other_officer": (404, 404),
        "viewer": (403, 403),
    }
    assert (unknown.status_code, unknown_rows.status_code) == (404, 404)
    page_id = await client.get(f"/imports/{job['import_id']}:0", headers=auth("admin"))
    assert page_id.status_code == 404  # a report page is no import


async def test_a_number_too_big_for_the_store_rejects_its_row_and_the_import_completes(
    client: httpx.AsyncClient,
):
    rows = [_row(f"Usaha {n}") for n in range(5)]
    rows.insert(3, _row("Terlalu Besar", capital=2**64))
    data = x.workbook([HEADER, *rows])

    first = await _import(client, data)
    again = await _import(client, data)

    assert (first.job["state"], first.job["rows"], first.job["created"]) == ("done", 6, 5)
    assert first.job["rejected"] == 1
    assert list(first.errors) == [(5, "capital")]
    ids = list(first.created_ids.values())
    assert await _audited_imports(client, ids) == sorted(ids)
    assert [item["row"] for item in first.rows] == [2, 3, 4, 5, 6, 7]
    assert (again.job["created"], again.job["rejected"]) == (0, 6)


async def test_a_row_the_store_refuses_is_rejected_and_the_rest_is_reported_and_audited(
    app: FastAPI, client: httpx.AsyncClient
):
    records = app.state.registration.handlers.records
    original = records.add

    async def refuse_one(record, cause):
        if record.enterprise.business.name == "Warung Ditolak":
            raise OverflowError("MongoDB can only handle up to 8-byte ints")
        return await original(record, cause)

    records.add = refuse_one
    data = x.workbook([HEADER, _row("Satu"), _row("Ditolak"), _row("Tiga")])

    imported = await _import(client, data)

    assert (imported.job["created"], imported.job["rejected"]) == (2, 1)
    assert imported.errors == {(3, "row"): "the row could not be stored; import it again"}
    ids = list(imported.created_ids.values())
    assert await _audited_imports(client, ids) == sorted(ids)


async def test_every_row_past_a_stale_dimension_marker_is_imported(client: httpx.AsyncClient):
    rows = [HEADER] + [_row(f"Baris {n}") for n in range(5)]
    data = x.with_sheet(x.sheet_xml(rows, dimension="A1:H2"))

    imported = await _import(client, data)

    assert (imported.job["rows"], imported.job["created"]) == (5, 5)
    listed = await client.get(f"/enterprises?centre_id={CENTRE}&q=Baris", headers=auth("officer"))
    assert listed.json()["total"] == 5
