"""Bulk imports through the job API, for tests: upload, wait for the job, read its report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from tests.component.registration.examples import auth
from tests.support.waiting import eventually

FINISHED = ("done", "failed")


@dataclass
class Imported:
    upload: httpx.Response  # the 202 with the job
    job: dict[str, Any]  # the job once finished
    rows: list[dict[str, Any]]  # every row outcome of its report, all pages read

    @property
    def created_ids(self) -> dict[int, str]:
        return {row["row"]: row["umkm_id"] for row in self.rows if row["umkm_id"]}

    @property
    def errors(self) -> dict[tuple[int, str], str]:
        return {(row["row"], e["field"]): e["error"] for row in self.rows for e in row["errors"]}


async def upload(
    client: httpx.AsyncClient,
    data: bytes,
    name: str = "umkm.csv",
    who: str = "officer",
    content_type: str = "text/csv",
) -> httpx.Response:
    files = {"file": (name, data, content_type)}
    return await client.post("/enterprises/import", files=files, headers=auth(who))


async def job_of(client: httpx.AsyncClient, job_url: str, who: str = "officer") -> dict[str, Any]:
    response = await client.get(job_url, headers=auth(who))
    assert response.status_code == 200, response.text
    job: dict[str, Any] = response.json()
    return job


async def finished(
    client: httpx.AsyncClient, job_url: str, who: str = "officer", timeout: float = 60.0
) -> dict[str, Any]:
    return await eventually(
        lambda: job_of(client, job_url, who),
        lambda job: job["state"] in FINISHED,
        timeout=timeout,
        interval=0.1,
    )


async def report_rows(
    client: httpx.AsyncClient, rows_url: str, who: str = "officer"
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    while True:
        page = await client.get(f"{rows_url}?offset={len(rows)}&limit=500", headers=auth(who))
        assert page.status_code == 200, page.text
        rows.extend(page.json()["items"])
        if len(rows) >= page.json()["total"]:
            return rows


async def import_file(
    client: httpx.AsyncClient,
    data: bytes,
    name: str = "umkm.csv",
    who: str = "officer",
    content_type: str = "text/csv",
) -> Imported:
    """Upload, wait for the job to finish, read its whole report; the upload must be 202."""
    answer = await upload(client, data, name, who, content_type)
    assert answer.status_code == 202, answer.text
    job = await finished(client, answer.headers["Location"], who)
    return Imported(answer, job, await report_rows(client, job["rows_url"], who))
