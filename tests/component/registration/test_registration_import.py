"""Bulk import over HTTP (a job per upload): a messy file, a re-import, an XLSX workbook,
an unreadable file."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import httpx

from tests.component.registration.examples import auth, fresh_identity
from tests.component.registration.imports import import_file, upload
from tests.support.event_probe import EventProbe

GENERATOR = Path(__file__).parents[3] / "bench" / "generate_umkm_file.py"
HEADER = "nama_pemilik,nik,no_hp,nama_usaha,nib,sektor,kabupaten_kota,kecamatan,desa,modal,omzet"


def _line(name: str, identity: dict[str, str], phone: str, capital: str = "50000000") -> str:
    business = f"Usaha {name},{identity['nib']},kuliner,Kota Mojokerto,Magersari,Gedongan"
    return f'{name},{identity["nik"]},"{phone}",{business},"{capital}",'


def _messy_file() -> tuple[bytes, dict[str, str]]:
    ani, budi, dewi, eko = (fresh_identity() for _ in range(4))
    lines = [
        HEADER,
        _line("Ani", ani, "0812-1111-2222"),  # row 2
        _line("Budi", budi, "+62 813 3333 4444"),  # row 3
        _line("Cici", fresh_identity() | {"nik": "3576013213900001"}, "081255557777"),  # row 4
        ",,,,,,,,,,",  # row 5
        _line("Ani Lagi", ani | {"nib": dewi["nib"]}, "0857 1234 5678"),  # row 6: Ani's NIK again
        _line("Eko", eko, "6285655556666", "Rp 1.500.000.000"),  # row 7
    ]
    return ("\n".join(lines) + "\n").encode(), {"ani": ani["nik"], "cici": "3576013213900001"}


async def test_a_messy_csv_imports_the_valid_rows_and_reports_every_bad_one(
    client: httpx.AsyncClient, events: EventProbe
):
    data, secrets = _messy_file()

    imported = await import_file(client, data)

    job = imported.job
    assert job["state"] == "done", job
    assert (job["rows"], job["created"], job["rejected"], job["empty_rows"]) == (6, 3, 2, 1)
    assert job["rows_done"] == 6
    assert sorted(imported.created_ids) == [2, 3, 7]
    errors = imported.errors
    assert set(errors) == {(4, "nik"), (6, "nik")}
    assert errors[(6, "nik")] == "nik duplicates row 2 in this file"
    assert secrets["cici"] not in str(imported.rows)
    listed = (await client.get("/enterprises?limit=10", headers=auth("officer"))).json()
    phones = sorted(item["owner"]["phone"] for item in listed["items"])
    assert phones == ["+6281211112222", "+6281333334444", "+6285655556666"]
    by_row = imported.created_ids
    eko = await client.get(f"/enterprises/{by_row[7]}", headers=auth("officer"))
    assert eko.json()["scale_class"] == "small"
    registered = await events.wait_for(
        lambda e: e.subject_id in by_row.values() and e.event_type.endswith("registered"), count=3
    )
    assert len(registered) == 3


async def test_importing_the_same_file_again_creates_nothing_new(client: httpx.AsyncClient):
    data, _ = _messy_file()
    first = await import_file(client, data)

    again = await import_file(client, data)

    assert again.job["state"] == "done"
    assert again.job["created"] == 0 and again.created_ids == {}
    assert again.job["rejected"] == 5  # the 3 stored rows, and the 2 bad ones again
    for row, umkm_id in first.created_ids.items():
        assert again.errors[(row, "nik")] == f"nik already registered as {umkm_id}"
    listed = (await client.get("/enterprises", headers=auth("officer"))).json()
    assert listed["total"] == 3


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("generate_umkm_file", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_an_xlsx_workbook_imports_every_row_of_every_centre_for_an_admin(
    client: httpx.AsyncClient, tmp_path: Path
):
    generator = _generator()
    out = tmp_path / "umkm.xlsx"
    generator.write_file(generator.generate_rows(40, seed=11), out)

    admin = await import_file(client, out.read_bytes(), out.name, "admin")
    officer = await import_file(client, out.read_bytes(), out.name, "other_officer")

    assert admin.job["created"] == 40 and admin.errors == {}
    listed = (await client.get("/enterprises?limit=1", headers=auth("admin"))).json()
    assert listed["total"] == 40
    refusals = set(officer.errors.values())
    assert officer.job["created"] == 0 and officer.job["rejected"] == 40
    assert "row belongs to another PLUT centre" in refusals
    assert refusals <= {"row belongs to another PLUT centre"} | {
        f"{field} already registered as {umkm_id}"
        for field in ("nik", "nib", "phone")
        for umkm_id in admin.created_ids.values()
    }


async def test_a_file_that_cannot_be_read_is_refused_as_a_whole(client: httpx.AsyncClient):
    missing_columns = await upload(client, b"nama,alamat\nAni,Mojokerto\n", "umkm.csv")
    not_a_workbook = await upload(client, b"PK\x03\x04garbage", "umkm.xlsx")

    assert missing_columns.status_code == 422
    assert "missing required columns" in missing_columns.json()["detail"]
    assert not_a_workbook.status_code == 422
    listed = (await client.get("/enterprises", headers=auth("officer"))).json()
    assert listed["total"] == 0
