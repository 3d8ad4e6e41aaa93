"""Registrations through the bulk import, in small files, as an officer's tool would.

Each upload answers 202 with a job; the job is polled until it is done, then
its report read (100 rows a file: one page). A file is uploaded again when
its upload got no answer or its job failed (a kill: a restarted service marks
the job it was running failed): rows an earlier attempt stored come back
rejected as "<field> already registered as <umkm_id>", which counts as
accepted once, like a 409 after a retry.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import httpx

from tests.support.chaos.bodies import csv_file, e164
from tests.support.chaos.workload import RETRY_PAUSE_S, Outcome, Registrar

FILE_ROWS = 100
FIRST_DATA_ROW = 2  # row 1 is the header
_ALREADY = re.compile(r"already registered as (\S+)")


async def import_all(registrar: Registrar, rows: list[dict[str, Any]]) -> list[Outcome]:
    files = [rows[start : start + FILE_ROWS] for start in range(0, len(rows), FILE_ROWS)]
    async with httpx.AsyncClient(
        base_url=registrar.base_url, headers=registrar.headers, timeout=300
    ) as client:
        results = await asyncio.gather(*(_one_file(registrar, client, f) for f in files))
    return [outcome for outcomes in results for outcome in outcomes]


async def _one_file(
    registrar: Registrar, client: httpx.AsyncClient, batch: list[dict[str, Any]]
) -> list[Outcome]:
    outcomes = [Outcome(e164(row["phone"])) for row in batch]
    data = csv_file(batch)
    deadline = time.monotonic() + registrar.give_up_after_s
    async with registrar.gate:
        while time.monotonic() < deadline:
            for outcome in outcomes:
                outcome.attempts += 1
            report = await _imported(client, data, deadline)
            if report is not None and _settle(report, outcomes):
                break
            _unanswered(outcomes)
            await asyncio.sleep(RETRY_PAUSE_S)
    registrar.answered += len(batch)
    return outcomes


async def _imported(
    client: httpx.AsyncClient, data: bytes, deadline: float
) -> list[dict[str, Any]] | None:
    """The rows of a finished job for this file; None if it must be uploaded again."""
    try:
        response = await client.post(
            "/enterprises/import", files={"file": ("chaos.csv", data, "text/csv")}
        )
    except httpx.TransportError:
        return None
    if response.status_code != 202:
        return None
    job_url = response.json()["job_url"]
    while time.monotonic() < deadline:
        try:
            job = await client.get(job_url)
            if job.status_code == 200 and job.json()["state"] == "done":
                rows = await client.get(f"{job_url}/rows", params={"limit": FILE_ROWS})
                return list(rows.json()["items"]) if rows.status_code == 200 else None
            if job.status_code != 200 or job.json()["state"] == "failed":
                return None
        except httpx.TransportError:
            pass  # the service is restarting: its job will be marked failed, or finish
        await asyncio.sleep(RETRY_PAUSE_S)
    return None


def _unanswered(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        outcome.unanswered += 1


def _settle(rows: list[dict[str, Any]], outcomes: list[Outcome]) -> bool:
    """Read the job's report; False when rows could not be stored and the file goes again."""
    for row in rows:
        outcome = outcomes[int(row["row"]) - FIRST_DATA_ROW]
        if row["umkm_id"] is not None:
            outcome.umkm_id, outcome.how = row["umkm_id"], "imported"
            continue
        for error in row["errors"]:
            found = _ALREADY.search(error["error"])
            if found and outcome.unanswered and outcome.how != "imported":
                outcome.umkm_id, outcome.how = found.group(1), "imported"
            elif outcome.how != "imported":
                outcome.how = f"import rejected: {error['field']}"
    # "the row could not be stored; import it again" (the store was restarting): so we do.
    return all(outcome.how != "import rejected: row" for outcome in outcomes)
