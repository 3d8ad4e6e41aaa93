"""Registrations through the bulk import, in small files, as the synchronous upload answers.

A file is uploaded again when its upload got no answer (a kill): rows the first
upload stored come back rejected as "<field> already registered as <umkm_id>",
which counts as accepted once, like a 409 after a retry. Files stay at 100
rows, so the answer lists every created id and every error (its preview size).
An upload answered in another form (e.g. a 202 with a job to poll) is not read
here: its rows are reported as "import not supported", not as accepted.
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
            try:
                response = await client.post(
                    "/enterprises/import", files={"file": ("chaos.csv", data, "text/csv")}
                )
            except httpx.TransportError:
                _unanswered(outcomes)
            else:
                if response.status_code < 500 and _settle(response, outcomes):
                    break
                _unanswered(outcomes)
            await asyncio.sleep(RETRY_PAUSE_S)
    registrar.answered += len(batch)
    return outcomes


def _unanswered(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        outcome.unanswered += 1


def _settle(response: httpx.Response, outcomes: list[Outcome]) -> bool:
    """Read the answer; False when rows could not be stored and the file goes again."""
    if response.status_code != 200:
        for outcome in outcomes:
            outcome.how = f"import not supported ({response.status_code})"
        return True
    report = response.json()
    for row, umkm_id in report["created_ids"].items():
        outcomes[int(row) - FIRST_DATA_ROW].umkm_id = umkm_id
        outcomes[int(row) - FIRST_DATA_ROW].how = "imported"
    for error in report["errors"]:
        outcome = outcomes[int(error["row"]) - FIRST_DATA_ROW]
        found = _ALREADY.search(error["error"])
        if found and outcome.unanswered and outcome.how != "imported":
            outcome.umkm_id, outcome.how = found.group(1), "imported"
        elif outcome.how != "imported":
            outcome.how = f"import rejected: {error['field']}"
    # "the row could not be stored; import it again" (the store was restarting): so we do.
    return all(outcome.how != "import rejected: row" for outcome in outcomes)
