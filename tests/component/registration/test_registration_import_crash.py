"""A registration process killed with SIGKILL in the middle of an import loses no job silently."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from plut_shared.auth import TokenEntry
from registration.bootstrap import create_app

from tests.component.registration.examples import PRINCIPALS, token_registry
from tests.component.registration.imports import import_file, job_of, report_rows, upload
from tests.component.registration.test_registration_import_jobs import (
    generated_csv,
    running,
    settings_like,
)
from tests.support.waiting import eventually

LEASE_S = "1"  # the killed process vouched for its job at most this long ago
ROWS = 800  # checkpoints every 250 rows: the kill lands after the first, before the last


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def doomed_service(app: FastAPI) -> AsyncIterator[tuple[asyncio.subprocess.Process, str]]:
    """Registration as its own uvicorn process, on the test's broker, store and database."""
    settings = app.state.host.settings
    token, subject, role, centres = PRINCIPALS["admin"]
    entry = TokenEntry.for_token(token, subject=subject, role=role, centres=centres)
    env = os.environ | {
        "PLUT_REGISTRATION_AMQP_URL": settings.amqp_url,
        "PLUT_BROKER_USER_PREFIX": settings.broker_user_prefix,
        "PLUT_MONGO_URL": settings.mongo_url,
        "PLUT_REGISTRATION_DATABASE": settings.database,
        "PLUT_REGISTRATION_IMPORT_JOB_LEASE_S": LEASE_S,
        "PLUT_API_TOKENS": json.dumps([entry.model_dump(mode="json")]),
    }
    port = _free_port()
    child = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "uvicorn", "registration.entrypoints.app:create_app"),
        *("--factory", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        yield child, base_url
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()


async def _health(base_url: str) -> int:
    async with httpx.AsyncClient(base_url=base_url) as http:
        try:
            return (await http.get("/health")).status_code
        except httpx.TransportError:
            return 0


async def test_a_job_whose_process_was_killed_is_marked_failed_and_a_reimport_finishes_it(
    app: FastAPI, doomed_service: tuple[asyncio.subprocess.Process, str], tmp_path: Path
):
    child, base_url = doomed_service
    data = generated_csv(ROWS, seed=13, tmp_path=tmp_path)
    await eventually(lambda: _health(base_url), lambda status: status == 200, timeout=60)
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        job_url = (await upload(http, data, who="admin")).headers["Location"]
        await eventually(lambda: job_of(http, job_url, "admin"), lambda j: j["rows_done"] >= 250)
    child.kill()
    await child.wait()

    survivor = create_app(settings_like(app, import_job_lease_s=float(LEASE_S)), token_registry())
    async with running(survivor) as http:
        failed = await eventually(
            lambda: job_of(http, job_url, "admin"), lambda job: job["state"] != "running"
        )
        reported = await report_rows(http, failed["rows_url"], "admin")
        again = await import_file(http, data, who="admin")
        stored = [doc["_id"] async for doc in survivor.state.host.db["enterprises"].find({})]

    assert failed["state"] == "failed" and "interrupted" in failed["error"]
    assert 250 <= failed["rows_done"] < ROWS
    assert len(reported) == failed["created"] >= 250  # every row of every checkpoint
    assert again.job["state"] == "done"
    assert again.job["created"] + again.job["rejected"] == ROWS
    assert len(stored) == ROWS  # every row stored once: none lost, none twice
    assert set(again.errors.values()) <= {
        f"{field} already registered as {umkm_id}"
        for field in ("nik", "nib", "phone")
        for umkm_id in stored
    }
