"""Bulk imports as jobs: the 202, the states an officer watches, the counts, restarts."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from registration.adapters.import_file import ImportLimits
from registration.bootstrap import create_app
from registration.config import RegistrationSettings

from tests.component.registration.examples import auth, token_registry
from tests.component.registration.imports import finished, import_file, job_of, report_rows, upload
from tests.support import xlsx_files as x
from tests.support.in_process import serving
from tests.support.waiting import eventually

GENERATOR = Path(__file__).parents[3] / "bench" / "generate_umkm_file.py"


def generated_csv(rows: int, seed: int, tmp_path: Path, bad_ratio: float = 0.0) -> bytes:
    spec = importlib.util.spec_from_file_location("generate_umkm_file", GENERATOR)
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    out = tmp_path / f"umkm-{seed}.csv"
    generator.write_file(generator.generate_rows(rows, seed, bad_ratio), out)
    return out.read_bytes()


def hold_rows_after(app: FastAPI, rows: int, until: Callable[[], Awaitable[object]]) -> None:
    """Rows past the first `rows` wait until `until()` returns."""
    handlers = app.state.registration.handlers
    original, seen = handlers.add_new, [0]

    async def held(*args: Any, **kwargs: Any) -> Any:
        seen[0] += 1
        if seen[0] > rows:
            await until()
        return await original(*args, **kwargs)

    handlers.add_new = held


async def stopping(app: FastAPI) -> None:
    jobs = app.state.registration.imports
    while not jobs.stopping:
        await asyncio.sleep(0.01)


async def test_an_upload_answers_202_then_the_job_runs_and_ends_done_with_its_counts(
    app: FastAPI, client: httpx.AsyncClient, tmp_path: Path
):
    app.state.registration.imports.importer.chunk_rows = 4
    release = asyncio.Event()
    hold_rows_after(app, 4, release.wait)
    data = generated_csv(10, seed=3, tmp_path=tmp_path)

    answer = await upload(client, data, who="admin")

    assert answer.status_code == 202, answer.text
    accepted = answer.json()
    assert answer.headers["Location"] == accepted["job_url"] == f"/imports/{accepted['import_id']}"
    assert accepted["state"] in ("queued", "running")
    running = await eventually(
        lambda: job_of(client, accepted["job_url"], "admin"),
        lambda job: job["rows_done"] == 4,
    )
    assert (running["state"], running["rows"], running["created"]) == ("running", 10, 4)
    assert running["finished_at"] is None
    assert len(await report_rows(client, running["rows_url"], "admin")) == 4
    release.set()
    done = await finished(client, accepted["job_url"], "admin")
    assert (done["state"], done["error"]) == ("done", None)
    assert (done["rows"], done["rows_done"], done["created"], done["rejected"]) == (10, 10, 10, 0)
    assert done["finished_at"] is not None
    published = await eventually(
        lambda: job_of(client, accepted["job_url"], "admin"),
        lambda job: job["events_published"] == 10,
    )
    assert published["events_published"] == 10


async def test_a_jobs_counts_match_its_report_and_its_audit_entries(
    client: httpx.AsyncClient, tmp_path: Path
):
    data = generated_csv(120, seed=5, tmp_path=tmp_path, bad_ratio=0.25)

    imported = await import_file(client, data, who="admin")

    job, rows = imported.job, imported.rows
    assert job["state"] == "done" and job["rows"] == job["rows_done"] == 120
    assert job["created"] == len(imported.created_ids) > 0
    assert job["rejected"] == sum(1 for row in rows if row["errors"]) > 0
    assert job["created"] + job["rejected"] + job["empty_rows"] == 120
    audit = (await client.get("/audit?limit=1000", headers=auth("admin"))).json()
    audited = sorted(entry["umkm_id"] for entry in audit if entry["action"] == "import")
    assert audited == sorted(imported.created_ids.values())
    published = await eventually(
        lambda: job_of(client, job["job_url"], "admin"),
        lambda job: job["events_published"] == job["created"],
    )
    assert published["events_published"] == len(imported.created_ids)


def settings_like(app: FastAPI, **changes: Any) -> RegistrationSettings:
    """The test app's settings (same broker, store and database), with changes."""
    settings: RegistrationSettings = app.state.host.settings
    return settings.model_copy(update=changes)


async def test_a_job_stopped_by_a_restart_is_marked_failed_and_a_reimport_finishes_the_file(
    app: FastAPI, tmp_path: Path
):
    data = generated_csv(30, seed=8, tmp_path=tmp_path)
    async with running(app) as http:
        app.state.registration.imports.importer.chunk_rows = 5
        hold_rows_after(app, 10, lambda: stopping(app))
        job_url = (await upload(http, data, who="admin")).headers["Location"]
        await eventually(lambda: job_of(http, job_url, "admin"), lambda j: j["rows_done"] == 10)
    # The stop let the chunk in progress finish and ended the job at that checkpoint.
    async with running(create_app(settings_like(app), token_registry())) as http:
        stopped = await job_of(http, job_url, "admin")
        reported = await report_rows(http, stopped["rows_url"], "admin")
        again = await import_file(http, data, who="admin")
        listed = (await http.get("/enterprises?limit=1", headers=auth("admin"))).json()

    assert stopped["state"] == "failed" and "interrupted" in stopped["error"]
    assert stopped["rows_done"] == 15 and stopped["finished_at"] is not None
    assert len(reported) == stopped["rows_done"] == stopped["created"]
    assert again.job["created"] == 30 - stopped["created"]
    for row, umkm_id in {r["row"]: r["umkm_id"] for r in reported}.items():
        assert again.errors[(row, "nik")] == f"nik already registered as {umkm_id}"
    assert listed["total"] == 30  # every row stored once


@contextlib.asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app started (and stopped after), with a client that calls it in-process."""
    async with serving(app, shutdown_timeout=60) as http:
        yield http


async def test_a_workbook_found_past_the_row_limit_fails_its_job_and_creates_nothing(
    app: FastAPI, client: httpx.AsyncClient, tmp_path: Path
):
    app.state.registration.imports.importer.limits = ImportLimits(max_rows=3)
    header = ["nama_pemilik", "nik", "no_hp", "nama_usaha", "sektor", "kabupaten_kota", "kecamatan"]
    row = ["Siti", "3576014101850001", "081234567890", "Usaha", "kuliner", "Batu", "Batu"]
    data = x.workbook([[*header, "modal"], *[[*row, "1000"] for _ in range(5)]])

    answer = await upload(client, data, "umkm.xlsx")
    job = await finished(client, answer.headers["Location"])

    assert answer.status_code == 202  # a workbook's rows are read by its job
    assert job["state"] == "failed"
    assert job["error"].startswith("the file has more than 3 rows after the header")
    assert (job["created"], job["rows_done"]) == (0, 0)
    listed = (await client.get("/enterprises", headers=auth("officer"))).json()
    assert listed["total"] == 0


async def test_past_the_jobs_a_process_may_hold_an_upload_gets_429_until_one_is_done(
    app: FastAPI, tmp_path: Path
):
    busy_app = create_app(settings_like(app, import_jobs_at_once=1), token_registry())
    release = asyncio.Event()
    hold_rows_after(busy_app, 0, release.wait)
    files = [generated_csv(2, seed=20 + n, tmp_path=tmp_path) for n in range(5)]
    async with running(busy_app) as http:
        held = [await upload(http, data, who="admin") for data in files[:4]]  # 1 runs, 3 wait
        refused = await upload(http, files[4], who="admin")
        release.set()
        jobs = [await finished(http, answer.headers["Location"], "admin") for answer in held]
        later = await import_file(http, files[4], who="admin")

    assert [answer.status_code for answer in held] == [202] * 4
    assert refused.status_code == 429
    assert "too many imports in progress" in refused.json()["detail"]
    assert [job["state"] for job in jobs] == ["done"] * 4
    assert later.job["created"] == 2
